"""Regenerate the shipped line drawings in assets/images/ (deterministic).

    python scripts/illustrations/make_illustrations.py [OUTPUT_DIR]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from drawing import BODY, COLD, HL, PROP, WATER, Drawing

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "assets" / "images")
OUT.mkdir(parents=True, exist_ok=True)
IMAGES = {}


def image(name):
    def deco(fn):
        IMAGES[name] = fn
        return fn
    return deco


def floor(d, y=184, x0=14, x1=186):
    d.poly([(x0, y), (x1, y)], PROP, 4)


def bed(d, y=150, x0=10, x1=190):
    d.poly([(x0, y), (x1, y)], PROP, 5)
    d.poly([(x0 + 4, y), (x0 + 4, y + 32)], PROP, 5)
    d.poly([(x1 - 4, y), (x1 - 4, y + 32)], PROP, 5)


def chair(d, x=150, seat=118, back_top=70, facing="left", floor_y=184):
    """Side view of a chair. facing=left: the back is on the right side."""
    if facing == "left":
        d.poly([(x - 36, seat), (x, seat), (x, back_top)], PROP, 5)
        d.poly([(x - 34, seat), (x - 34, floor_y)], PROP, 5)
        d.poly([(x, seat), (x, floor_y)], PROP, 5)
    else:
        d.poly([(x + 36, seat), (x, seat), (x, back_top)], PROP, 5)
        d.poly([(x + 34, seat), (x + 34, floor_y)], PROP, 5)
        d.poly([(x, seat), (x, floor_y)], PROP, 5)


def sitting_upright(d, chair_x, hip_x):
    """The floor, a chair facing right, and someone on it sitting up
    straight: head and back, the hip at (hip_x, 114). Legs and arms are
    each drawing's own."""
    floor(d)
    chair(d, chair_x, 118, 44, facing="right")
    d.head((hip_x, 30), 13)
    d.limb([(hip_x, 48), (hip_x, 114)], w=9)


def waves(d, y, x0=10, x1=190, amp=5, period=30):
    # a smooth wave line as a path of quadratic curves
    x = x0
    dpath = f"M{x0},{y}"
    up = True
    while x < x1:
        nx = min(x + period / 2, x1)
        cy = y - amp if up else y + amp
        dpath += f" Q{(x + nx) / 2:g},{cy:g} {nx:g},{y}"
        up = not up
        x = nx
    d.path(dpath, WATER, 4)


# ---------------------------------------------------------------- emergency

@image("calf_pull_toes")
def _(d):
    bed(d, 156)
    d.poly([(14, 150), (14, 96)], PROP, 5)          # headboard
    # towel loop from hands round the ball of the foot
    d.poly([(112, 104), (166, 118), (170, 130), (116, 112)], PROP, 4)
    d.head((76, 58), 13)
    d.limb([(70, 74), (56, 148)], w=9)                # torso
    d.limb([(56, 148), (110, 148), (158, 148), (164, 124)])   # leg, toes pulled up
    d.hl([(112, 146), (154, 146)])                    # calf
    d.limb([(68, 84), (92, 104), (114, 108)])         # arm
    d.limb([(66, 86), (86, 112), (114, 110)])


@image("calf_stand_weight")
def _(d):
    floor(d)
    d.poly([(160, 20), (160, 184)], PROP, 5)          # wall
    for x in (86, 100, 114, 128):                      # cold floor marks
        d.poly([(x, 192), (x + 8, 192)], COLD, 4)
    d.head((96, 30), 13)
    d.limb([(96, 48), (98, 108)], w=9)
    d.limb([(98, 108), (104, 144), (104, 178), (124, 180)])   # weight leg
    d.limb([(98, 108), (88, 144), (74, 172), (86, 180)])      # other leg, light touch
    d.hl([(104, 148), (104, 174)])
    d.limb([(97, 58), (126, 70), (154, 66)])          # hand on wall
    d.limb([(97, 58), (92, 84), (90, 104)])


@image("calf_walk")
def _(d):
    floor(d)
    d.head((100, 28), 13)
    d.limb([(100, 46), (98, 106)], w=9)
    d.limb([(98, 106), (118, 140), (136, 172), (146, 160)])   # front leg: heel down, toes up
    d.limb([(98, 106), (88, 142), (66, 168), (78, 182)])      # back leg: rolling onto toes
    d.hl([(120, 143), (134, 168)])
    d.limb([(100, 56), (116, 80), (130, 92)])
    d.limb([(100, 56), (86, 80), (74, 96)])
    d.arrow([(120, 194), (160, 194)], HL, 4, 7)


@image("calf_massage")
def _(d):
    bed(d, 156)
    d.head((84, 54), 13)
    d.limb([(80, 70), (62, 150)], w=9)
    d.limb([(62, 150), (116, 104), (144, 150), (166, 152)])   # knee up, foot on bed
    d.hl([(120, 110), (140, 144)])
    d.limb([(78, 84), (96, 128), (124, 130)])          # hand round the calf
    d.limb([(80, 82), (116, 88), (132, 112)])          # other hand over the knee
    d.arrow([(166, 136), (146, 102)], HL, 4)           # heel to knee

@image("rest_legs_up")
def _(d):
    bed(d, 150)
    d.ellipse((154, 128), 28, 12, PROP, 4)            # pillow under the calves
    d.ellipse((30, 134), 16, 7, PROP, 4)              # head pillow
    d.head((32, 116), 13)
    d.limb([(48, 124), (104, 134)], w=9)
    d.limb([(104, 134), (132, 112), (178, 110), (186, 96)])
    d.limb([(56, 128), (82, 138), (98, 140)])


@image("rest_side_lying")
def _(d):
    # the supported rest: on the side, not flat on the back, knees bent with
    # a pillow between them
    bed(d, 150)
    d.ellipse((30, 134), 16, 7, PROP, 4)              # head pillow
    d.head((34, 116), 13)
    d.limb([(48, 126), (100, 136)], w=9)
    d.limb([(100, 140), (140, 140), (176, 146), (188, 142)])  # lower leg, knee bent
    d.ellipse((142, 124), 15, 9, PROP, 4)             # pillow between the knees
    d.limb([(100, 134), (142, 106), (178, 126), (190, 120)])  # upper leg on the pillow
    d.limb([(58, 128), (76, 114), (92, 116)])         # arm in front


@image("thigh_front_side_stretch")
def _(d):
    # the supported front-of-thigh stretch: on the side on the bed, the top
    # heel drawn toward the bottom by its hand
    bed(d, 150)
    d.ellipse((24, 134), 16, 7, PROP, 4)
    d.head((28, 116), 13)
    d.limb([(42, 126), (98, 134)], w=9)
    d.limb([(98, 140), (150, 142), (186, 142)])       # lower leg straight
    d.limb([(98, 132), (150, 124), (110, 100), (98, 104)])    # upper knee bent, heel back
    d.hl([(106, 130), (142, 125)])                    # front of thigh
    d.limb([(50, 124), (80, 100), (108, 98)])         # hand holding the ankle


@image("foot_pull_toes")
def _(d):
    # close-up: the leg lies along the bed, a hand draws the toes back
    d.poly([(6, 150), (194, 150)], PROP, 4)
    d.path("M4,100 L100,100 Q114,98 120,84 L130,54 Q134,42 144,42 Q156,44 154,58 "
           "L146,92 Q140,128 120,140 Q106,148 94,140 L4,140", BODY, 7)
    d.hl([(124, 128), (138, 96), (146, 62)], w=8)      # the sole and arch
    d.limb([(40, 8), (110, 26), (140, 30)], w=14)      # forearm and hand from the body side
    d.limb([(136, 28), (156, 30), (160, 44)], w=9)     # fingers over the toes
    d.arc_arrow((126, 104), 62, -25, -62, HL, 4)

@image("foot_spread_toes")
def _(d):
    # front view of a foot, toes fanned out
    d.path("M78,30 L78,92 Q60,120 64,150 Q70,168 100,170 Q130,168 136,150 "
           "Q140,120 122,92 L122,30", BODY, 8)
    for x0, x1, y1 in ((72, 52, 178), (86, 80, 190), (100, 100, 193), (114, 120, 190),
                       (128, 148, 178)):
        d.poly([(x0, 160), (x1, y1)], HL, 9)
    d.arrow([(58, 150), (34, 150)], HL, 4, 7)
    d.arrow([(142, 150), (166, 150)], HL, 4, 7)


@image("foot_massage_sole")
def _(d):
    # the sole of a foot seen from below, two thumbs pressing along the arch
    d.path("M100,24 Q132,24 134,66 Q136,96 126,122 Q118,146 124,168 "
           "Q124,190 100,190 Q78,190 78,166 Q80,140 70,110 Q60,70 70,44 Q78,24 100,24 Z",
           BODY, 7)
    d.hl([(90, 70), (100, 110), (100, 150)], w=9)      # line of the arch
    for c, r in (((82, 16), 6), ((100, 10), 6), ((116, 12), 5.5), ((128, 20), 5), ((136, 32), 4.5)):
        d.circle(c, r, BODY, 5)
    d.limb([(30, 190), (58, 150), (84, 118)], w=12)    # thumbs from the sides
    d.limb([(172, 190), (144, 150), (116, 126)], w=12)
    d.arrow([(160, 96), (160, 56)], HL, 4)


@image("ex_feet_press_floor")
def _(d):
    sitting_upright(d, chair_x=66, hip_x=76)
    d.limb([(76, 114), (128, 116), (130, 178), (152, 180)])
    d.hl([(130, 124), (130, 172)])
    d.limb([(76, 60), (100, 92), (124, 108)])
    d.arrow([(160, 132), (160, 168)], HL, 4)
    d.arrow([(176, 132), (176, 168)], HL, 4)


@image("thigh_front_stretch")
def _(d):
    floor(d)
    chair(d, 160, 118, 70, facing="left")
    d.head((98, 28), 13)
    d.limb([(98, 46), (96, 106)], w=9)
    d.limb([(96, 106), (106, 144), (106, 178), (124, 180)])   # standing leg
    d.limb([(96, 106), (88, 148), (66, 114), (54, 122)])      # bent leg, heel to bottom
    d.hl([(95, 112), (89, 142)])                       # front of thigh
    d.limb([(98, 56), (78, 80), (66, 108)])            # hand holding the ankle
    d.limb([(98, 56), (128, 70), (156, 70)])           # hand on chair back

@image("thigh_front_massage")
def _(d):
    sitting_upright(d, chair_x=40, hip_x=52)
    d.limb([(52, 114), (118, 116), (122, 178), (144, 180)])
    d.hl([(60, 112), (112, 112)])
    d.limb([(54, 60), (70, 90), (94, 104)])
    d.arrow([(104, 96), (66, 96)], HL, 4)              # knee to hip


@image("thigh_back_stretch")
def _(d):
    floor(d)
    d.head((136, 48), 13)
    d.limb([(122, 60), (76, 96)], w=9)                 # torso leaning forward
    d.limb([(76, 96), (94, 140), (72, 178), (92, 180)])      # bent supporting leg
    d.limb([(76, 96), (116, 138), (152, 176), (162, 158)])   # straight leg on its heel
    d.hl([(84, 104), (112, 134)])                      # back of thigh
    d.limb([(118, 64), (108, 102), (96, 132)])         # hands on the bent knee

@image("thigh_back_massage")
def _(d):
    sitting_upright(d, chair_x=40, hip_x=52)
    d.limb([(52, 114), (118, 108), (124, 178), (146, 180)])
    d.hl([(62, 118), (112, 114)])
    d.limb([(54, 60), (74, 100), (96, 126)])           # hand under the thigh
    d.arrow([(108, 138), (70, 140)], HL, 4)


@image("water_float")
def _(d):
    d.head((40, 98), 13)
    d.limb([(54, 104), (112, 110)], w=9)
    d.limb([(112, 110), (150, 112), (182, 110)])
    d.limb([(66, 104), (76, 82), (90, 70)])            # arms out
    d.limb([(66, 108), (78, 128), (92, 138)])
    waves(d, 116, 6, 194)
    waves(d, 140, 20, 180, 4, 36)


@image("water_call_help")
def _(d):
    d.head((92, 62), 13)
    d.limb([(92, 80), (92, 150)], w=9)
    d.limb([(92, 82), (116, 56), (128, 22)])           # waving arm
    d.limb([(92, 84), (70, 104), (56, 110)])
    d.limb([(92, 150), (82, 182)])
    d.limb([(92, 150), (106, 180)])
    d.arc_arrow((128, 22), 18, -20, 40, HL, 4, 6, 6)
    d.arc_arrow((128, 22), 30, -15, 35, HL, 4, 0.01, 6)
    waves(d, 96, 6, 194)


@image("water_pull_toes")
def _(d):
    waves(d, 146, 20, 180, 4, 36)
    d.head((40, 92), 13)
    d.limb([(54, 100), (96, 116)], w=9)
    d.limb([(96, 116), (130, 84), (150, 118), (158, 100)])    # knee bent, toes pulled back
    d.hl([(133, 89), (148, 114)])
    d.limb([(60, 100), (106, 80), (154, 96)])          # hand reaching the toes
    d.limb([(58, 104), (62, 130), (52, 140)])          # other arm sculling
    waves(d, 112, 6, 194)

@image("water_swim_arms")
def _(d):
    d.path("M150,112 Q170,94 196,90", PROP, 5)          # the shore ahead
    d.head((108, 96), 13)
    d.limb([(94, 104), (40, 112)], w=9)
    d.limb([(40, 112), (12, 118)])                     # legs trailing, resting
    d.limb([(100, 100), (118, 72), (140, 66)])         # one arm reaching
    d.limb([(96, 106), (84, 128), (66, 138)])
    waves(d, 110, 6, 150)
    d.arrow([(140, 50), (176, 50)], HL, 4, 7)

# ---------------------------------------------------------------- exercises

@image("ex_wall_calf_stretch")
def _(d):
    floor(d)
    d.poly([(170, 20), (170, 184)], PROP, 5)
    d.head((132, 40), 13)
    d.limb([(128, 58), (104, 108)], w=9)               # body leaning into the wall
    d.limb([(104, 108), (128, 142), (124, 178), (144, 180)])  # front leg bent
    d.limb([(104, 108), (74, 144), (46, 178), (66, 180)])     # back leg straight, heel down
    d.hl([(72, 146), (50, 172)])
    d.limb([(126, 66), (148, 74), (166, 66)])          # hands on the wall
    d.limb([(126, 66), (146, 84), (166, 80)])


@image("ex_toes_toward_you")
def _(d):
    bed(d, 156)
    d.head((60, 60), 13)
    d.limb([(58, 78), (50, 148)], w=9)
    d.limb([(50, 148), (104, 148), (156, 148), (162, 124)])
    d.hl([(106, 146), (152, 146)])
    d.limb([(58, 88), (46, 118), (40, 146)])           # hand resting behind
    d.arc_arrow((156, 148), 36, -30, -78, HL, 4)


@image("ex_calf_raises")
def _(d):
    floor(d)
    chair(d, 160, 118, 70, facing="left")
    d.head((96, 22), 13)
    d.limb([(96, 40), (96, 100)], w=9)
    d.limb([(96, 100), (98, 138), (94, 168), (110, 182)])     # up on the toes
    d.hl([(98, 140), (95, 164)])
    d.limb([(96, 50), (126, 66), (156, 70)])
    d.arrow([(62, 170), (62, 128)], HL, 4)
    d.arrow([(46, 128), (46, 170)], HL, 4)


@image("ex_ankle_circles")
def _(d):
    sitting_upright(d, chair_x=40, hip_x=52)
    d.limb([(52, 114), (116, 112), (140, 160), (158, 154)])   # leg out, foot lifted
    d.limb([(52, 114), (104, 120), (104, 180), (124, 182)])   # other foot down
    d.hl([(140, 160), (158, 154)], w=9)
    d.limb([(54, 60), (70, 90), (90, 108)])
    d.arc_arrow((150, 156), 22, 200, 470, HL, 4, 8, 18)


@image("ex_toe_curls")
def _(d):
    # side view of a foot on the floor, toes curling to grip it
    floor(d, 184)
    d.path("M70,8 L74,120 Q74,140 90,146 L134,160 Q146,164 150,172 "
           "L150,180 L64,180 Q48,180 48,164 Q50,140 46,120 L40,8", BODY, 7)
    d.hl([(148, 170), (162, 172), (168, 180)], w=9)    # toes curling down
    d.arc_arrow((150, 150), 26, -40, 40, HL, 4)

@image("ex_heel_toe_walk")
def _(d):
    floor(d)
    d.head((100, 22), 13)
    d.limb([(100, 40), (100, 100)], w=9)
    d.limb([(100, 100), (114, 138), (124, 172), (132, 154)])  # on the heel, toes up
    d.limb([(100, 100), (90, 138), (80, 168), (92, 182)])     # on the toes
    d.hl([(114, 140), (122, 166)])
    d.hl([(90, 140), (82, 164)])
    d.limb([(100, 50), (118, 76), (128, 92)])
    d.limb([(100, 50), (84, 76), (72, 90)])
    d.arrow([(120, 194), (160, 194)], HL, 4, 7)


@image("ex_bicycle")
def _(d):
    floor(d, 160)
    d.head((28, 140), 13)
    d.limb([(44, 146), (100, 150)], w=9)
    d.limb([(100, 150), (120, 104), (152, 104), (168, 92)])  # one knee bent
    d.limb([(100, 150), (140, 118), (170, 138), (182, 130)])  # other pushing out
    d.hl([(122, 106), (150, 104)])
    d.limb([(56, 150), (80, 156), (96, 156)])
    d.arc_arrow((150, 84), 26, 150, 20, HL, 4)


@image("ex_straight_leg_raise")
def _(d):
    floor(d, 160)
    d.head((28, 140), 13)
    d.limb([(44, 146), (100, 150)], w=9)
    d.limb([(100, 150), (120, 100), (140, 52), (154, 52)])   # straight leg up, toes toward you
    d.limb([(100, 150), (180, 150)])                   # other leg flat
    d.hl([(104, 142), (134, 68)])
    d.limb([(54, 146), (82, 118), (116, 104)])         # hands behind the thigh
    d.limb([(50, 150), (88, 128), (118, 112)])


@image("ex_knee_lifts_march")
def _(d):
    floor(d)
    d.head((100, 22), 13)
    d.limb([(100, 40), (100, 100)], w=9)
    d.limb([(100, 100), (138, 104), (136, 142), (152, 146)])  # knee lifted
    d.limb([(100, 100), (100, 140), (100, 178), (118, 180)])
    d.hl([(108, 100), (134, 104)])
    d.limb([(100, 50), (80, 72), (74, 94)])
    d.limb([(100, 50), (118, 70), (132, 64)])
    d.arrow([(160, 130), (160, 96)], HL, 4)


@image("ex_step_calf_stretch")
def _(d):
    floor(d)
    chair(d, 164, 118, 70, facing="left")
    d.rect(104, 154, 40, 30, 3, PROP, 4)               # stack of books
    d.poly([(108, 164), (140, 164)], PROP, 3)
    d.poly([(108, 174), (140, 174)], PROP, 3)
    d.head((86, 22), 13)
    d.limb([(86, 40), (88, 100)], w=9)
    d.limb([(88, 100), (90, 138), (88, 178), (124, 150)])     # heel on floor, toes up on books
    d.hl([(90, 140), (88, 172)])
    d.limb([(87, 50), (122, 66), (160, 70)])
    d.arrow([(62, 146), (62, 176)], HL, 4)

@image("ex_chair_calf_stretch")
def _(d):
    floor(d)
    chair(d, 164, 118, 70, facing="left")
    d.head((116, 34), 13)
    d.limb([(114, 52), (100, 108)], w=9)
    d.limb([(100, 108), (122, 142), (120, 178), (138, 180)])  # front knee bent
    d.limb([(100, 108), (72, 144), (48, 178), (68, 180)])     # back leg, heel down
    d.hl([(70, 146), (51, 172)])
    d.limb([(113, 62), (138, 74), (160, 70)])
    d.limb([(113, 62), (136, 84), (160, 74)])


@image("ex_seated_hamstring_stretch")
def _(d):
    floor(d)
    chair(d, 32, 118, 44, facing="right")
    d.head((88, 42), 13)
    d.limb([(78, 58), (52, 114)], w=9)                 # leaning forward from the hips
    d.limb([(52, 114), (110, 144), (154, 176), (160, 158)])   # straight leg on its heel
    d.limb([(52, 114), (92, 118), (94, 180), (112, 182)])     # other foot flat
    d.hl([(60, 118), (106, 142)])
    d.limb([(78, 66), (96, 96), (110, 128)])


@image("ex_ankle_pumps")
def _(d):
    sitting_upright(d, chair_x=40, hip_x=52)
    d.limb([(52, 114), (116, 114), (150, 150), (156, 128)])   # leg out, toes up
    d.limb([(52, 114), (104, 120), (104, 180), (124, 182)])
    d.hl([(120, 118), (146, 146)])
    d.limb([(54, 60), (70, 90), (90, 108)])
    d.arc_arrow((150, 150), 32, -75, 15, HL, 4)
    d.arc_arrow((150, 150), 32, 15, -75, HL, 4)


@image("ex_foot_rolls")
def _(d):
    # front view: both feet on their outer edges, knees soft
    floor(d)
    d.head((100, 22), 13)
    d.limb([(100, 40), (100, 98)], w=9)
    d.limb([(100, 98), (84, 100), (82, 140), (78, 174), (60, 182)])
    d.limb([(100, 98), (116, 100), (118, 140), (122, 174), (140, 182)])
    d.hl([(80, 176), (62, 184)], w=9)
    d.hl([(120, 176), (138, 184)], w=9)
    d.limb([(100, 50), (82, 76), (76, 100)])
    d.limb([(100, 50), (118, 76), (124, 100)])
    d.arc_arrow((70, 176), 20, 200, 280, HL, 4, 7)
    d.arc_arrow((130, 176), 20, 340, 260, HL, 4, 7)


@image("ex_seated_heel_raises")
def _(d):
    # calf raises done sitting: both feet down, heels lifted onto the toes
    sitting_upright(d, chair_x=66, hip_x=76)
    d.limb([(76, 114), (128, 116), (132, 160), (152, 182)])   # heel up, on the toes
    d.hl([(129, 124), (131, 154)])                    # calf
    d.limb([(76, 60), (100, 92), (124, 108)])         # hand on the knee
    d.arrow([(166, 170), (166, 132)], HL, 4)
    d.arrow([(180, 132), (180, 170)], HL, 4)


@image("ex_seated_knee_lifts")
def _(d):
    # the march done sitting: one knee lifts, the other foot stays down
    sitting_upright(d, chair_x=40, hip_x=52)
    d.limb([(52, 114), (104, 120), (104, 180), (124, 182)])   # foot down
    d.limb([(52, 112), (108, 94), (112, 146), (130, 148)])    # knee lifted
    d.hl([(62, 109), (100, 97)])
    d.limb([(54, 60), (72, 86), (88, 100)])
    d.arrow([(150, 140), (150, 98)], HL, 4)


@image("ex_seated_pedalling")
def _(d):
    # cycling done sitting back in a chair, one foot at a time
    floor(d)
    chair(d, 36, 118, 44, facing="right")
    d.head((56, 34), 13)
    d.limb([(52, 52), (44, 114)], w=9)                # leaning back
    d.limb([(44, 114), (96, 120), (98, 180), (118, 182)])     # foot down
    d.limb([(44, 112), (104, 104), (124, 142), (140, 138)])   # foot off the floor
    d.hl([(54, 110), (98, 105)])
    d.limb([(50, 64), (44, 92), (38, 110)])           # hand on the seat
    d.arc_arrow((124, 130), 30, 210, 500, HL, 4, 8, 18)


@image("ex_seated_foot_rolls")
def _(d):
    # front view, sitting: both feet roll onto their outer edges
    floor(d)
    d.poly([(60, 112), (140, 112)], PROP, 5)          # the chair's seat, from in front
    d.poly([(64, 112), (64, 184)], PROP, 5)
    d.poly([(136, 112), (136, 184)], PROP, 5)
    d.head((100, 30), 13)
    d.limb([(100, 48), (100, 104)], w=9)
    d.limb([(100, 104), (84, 110), (82, 144), (80, 174), (62, 182)])
    d.limb([(100, 104), (116, 110), (118, 144), (120, 174), (138, 182)])
    d.hl([(78, 176), (62, 184)], w=9)
    d.hl([(122, 176), (138, 184)], w=9)
    d.limb([(100, 58), (80, 82), (78, 104)])          # hands on the knees
    d.limb([(100, 58), (120, 82), (122, 104)])
    d.arc_arrow((70, 176), 20, 200, 280, HL, 4, 7)
    d.arc_arrow((130, 176), 20, 340, 260, HL, 4, 7)

# ---------------------------------------------------------------- places

LEG = ("M58,10 L106,10 Q116,50 112,88 Q122,100 114,114 Q104,140 108,168 "
       "Q132,174 160,178 Q174,182 168,192 L94,192 Q80,192 84,176 Q86,162 80,152 "
       "Q58,128 72,104 Q76,94 70,84 Q56,50 58,10 Z")


def place(d, highlight):
    d.fillpath(highlight, HL)
    d.path(LEG, BODY, 7)


@image("place_calf")
def _(d):
    place(d, "M72,104 Q58,128 80,152 Q86,160 86,168 L98,168 Q94,136 100,104 Z")


@image("place_foot")
def _(d):
    place(d, "M86,166 L108,166 Q132,174 160,178 Q174,182 168,192 L94,192 Q80,192 86,166 Z")


@image("place_thigh_front")
def _(d):
    place(d, "M86,10 L106,10 Q116,50 112,90 L96,92 Q94,50 86,10 Z")


@image("place_thigh_back")
def _(d):
    place(d, "M58,10 L78,10 Q82,50 80,94 L72,92 Q56,50 58,10 Z")


@image("place_water")
def _(d):
    d.head((100, 74), 15)
    d.limb([(100, 92), (100, 130)], w=9)
    d.limb([(100, 96), (126, 70), (140, 36)])
    d.limb([(100, 98), (74, 80), (62, 50)])
    d.fillpath("M6,118 Q26,106 46,118 Q66,130 86,118 Q106,106 126,118 Q146,130 166,118 "
               "Q186,106 194,112 L194,194 L6,194 Z", WATER)
    waves(d, 146, 20, 180, 5, 40)


def main():
    only = set(sys.argv[2:])
    for name, fn in IMAGES.items():
        if only and name not in only:
            continue
        d = Drawing()
        fn(d)
        text = d.svg()
        (OUT / f"{name}.svg").write_text(text)
        if len(text) > 4000:
            print("TOO BIG", name, len(text))
    print(len(IMAGES), "images")


main()
