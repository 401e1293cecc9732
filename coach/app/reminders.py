"""The bedtime reminder as words: one wording of "the next reminder" for the
tray and ``cramp-coach reminder show``, worked out from the same settings and
the same record of what happened (snoozed, skipped, done), so the two never
disagree."""

from __future__ import annotations

from datetime import datetime, tzinfo

from coach.core import wording
from coach.core.i18n import N_, _
from coach.core.reminders import Reminders
from coach.core.schedule import Fire, NightState, ReminderConfig

NONE_SET = N_("No bedtime reminder set")
"""In English; :func:`next_reminder` says it in the app's language."""


def next_fire(config: ReminderConfig, state: NightState, now: datetime,
              zone: tzinfo) -> Fire | None:
    return Reminders(config, state, zone).next_fire(now)


def next_reminder(fire: Fire | None, zone: tzinfo) -> str:
    """"Next reminder: Tue, 22:15", saying so when it is a snooze."""
    if fire is None:
        return _(NONE_SET)
    when = wording.weekday_time(fire.at.astimezone(zone))
    if fire.kind == "snooze":
        # Translators: {when} is a weekday and a time, e.g. "Tue, 22:15".
        return _("Next reminder: {when} (snoozed)").format(when=when)
    # Translators: {when} is a weekday and a time, e.g. "Tue, 22:15".
    return _("Next reminder: {when}").format(when=when)
