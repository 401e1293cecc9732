"""Side effects the app needs but the core must not know about: sound, speech,
cue dispatch and start-at-login.

Each one is a small protocol with a real implementation and a fake, so the rest
of the app (and its tests) never depends on a machine having speakers, a speech
engine or a particular desktop. Only :mod:`coach.services.speech` touches Qt,
and only inside functions, so the CLI can use the others without a display.
"""
