import type { PlanningModel, TaskModel } from './model.js';
import { clearOfBusy, staffSpan } from './model.js';
import type { PlanState } from './plan-state.js';
import { hasRoom } from './rules.js';
import { dayRanges } from './time-grid.js';

type DayCause =
  | { kind: 'no-window' }
  | { kind: 'holiday' }
  | { kind: 'not-working'; staff: string[] }
  | { kind: 'absent'; staff: string[] }
  | { kind: 'too-narrow' }
  | { kind: 'busy'; staff: string[] }
  | { kind: 'family-full' }
  | { kind: 'staff-full'; staff: string[] }
  | { kind: 'taken' };

function names(ids: readonly string[]): string {
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1) ?? ''}`;
}

/** Why no visit of `task` can go on `day` (static facts first, then what the plan already holds). */
function dayCause(model: PlanningModel, state: PlanState, task: TaskModel, day: number): DayCause {
  const family = model.families[task.family];
  const d = model.days[day];
  const windows = family?.windows[day] ?? [];
  if (!family || !d || windows.length === 0) return { kind: 'no-window' };
  if (d.holiday !== undefined) return { kind: 'holiday' };
  const staff = task.staff.map((s) => model.staff[s]).filter((s) => s !== undefined);
  const off = staff.filter((s) => !s.hours[day]);
  if (off.length > 0) return { kind: 'not-working', staff: off.map((s) => s.id) };
  // Absent: busy for the whole working day.
  const absent = staff.filter((s) => {
    const h = s.hours[day];
    return h !== undefined && (s.busy[day] ?? []).some((b) => b.start <= h.start && b.end >= h.end);
  });
  if (absent.length > 0) return { kind: 'absent', staff: absent.map((s) => s.id) };
  // The family's daily limit binds before anyone's busy time and before a window cut around its own visits: those
  // visits are also its therapists' busy blocks, so checking them first named "no common free time" where the real
  // rule was maxSessionsPerDay (issue 23).
  if (!hasRoom(state.familyDay[task.family]?.[day]?.length ?? 0, family.booked[day] ?? 0, family.maxPerDay)) return { kind: 'family-full' };
  // Too narrow: no window, intersected with everyone's hours less travel from and to base, holds the visit.
  let fits = false;
  for (const w of windows) {
    let lo = w.start;
    let hi = w.end;
    for (const s of staff) {
      const span = staffSpan(model, s, day, family.place);
      lo = Math.max(lo, span?.start ?? Infinity);
      hi = Math.min(hi, span?.end ?? -Infinity);
    }
    if (Math.ceil(lo / model.slot) * model.slot + task.minutes <= hi) fits = true;
  }
  if (!fits) return { kind: 'too-narrow' };
  const candidates = (model.candidates[task.index] ?? []).filter((c) => c.day === day);
  if (candidates.length === 0) {
    // Each start is blocked by someone's busy blocks; name who is busy at all in the window.
    const busy = staff.filter((s) => (s.busy[day] ?? []).length > 0);
    const blocking = busy.filter((s) =>
      windows.some((w) => !clearOfBusy(model, s.busy[day] ?? [], family.place, w.start, Math.min(w.end, w.start + task.minutes))),
    );
    return { kind: 'busy', staff: (blocking.length > 0 ? blocking : busy).map((s) => s.id) };
  }
  const full = staff.filter((s) => {
    const si = model.staff.indexOf(s);
    return (state.staffDay[si]?.[day]?.length ?? 0) + (s.booked[day] ?? 0) >= s.maxPerDay;
  });
  if (full.length > 0) return { kind: 'staff-full', staff: full.map((s) => s.id) };
  return { kind: 'taken' };
}

/** A reason a coordinator can act on for the open visits of a task, from the facts of each day of the week. */
export function shortfallReason(model: PlanningModel, state: PlanState, task: TaskModel): string {
  const family = model.families[task.family];
  if (!family) return 'unknown family';
  const staffIds = task.staff.map((s) => model.staff[s]?.id ?? '?');
  const causes = model.days.map((d) => ({ day: d.index, cause: dayCause(model, state, task, d.index) }));
  const windowDays = causes.filter((c) => c.cause.kind !== 'no-window');
  if (windowDays.length === 0) return `${family.id} has no visiting windows this week`;
  const parts: string[] = [];
  const group = (kind: DayCause['kind']) => causes.filter((c) => c.cause.kind === kind);
  const ranges = (list: { day: number }[]) =>
    dayRanges(
      model.days,
      list.map((c) => c.day),
    );
  const every = (list: unknown[]) => list.length === windowDays.length;

  const holidays = group('holiday');
  if (holidays.length > 0) {
    const named = holidays.map((c) => {
      const d = model.days[c.day];
      return d?.holiday && d.holiday !== 'holiday' ? `${d.label} (${d.holiday})` : (d?.label ?? '');
    });
    parts.push(`holiday on ${named.join(', ')}`);
  }
  const byStaff = (kind: 'not-working' | 'absent' | 'busy' | 'staff-full') => {
    const map = new Map<string, { day: number }[]>();
    for (const c of causes) {
      if (c.cause.kind !== kind) continue;
      for (const id of c.cause.staff) map.set(id, [...(map.get(id) ?? []), { day: c.day }]);
    }
    return map;
  };
  for (const [id, list] of byStaff('not-working')) parts.push(`${id} does not work ${ranges(list)}`);
  for (const [id, list] of byStaff('absent')) parts.push(`${id} absent ${ranges(list)}`);
  const narrow = group('too-narrow');
  if (narrow.length > 0) {
    const where = every(narrow) ? '' : ` on ${ranges(narrow)}`;
    parts.push(`window too narrow for a ${task.minutes}-minute visit${where} (after travel from ${names(staffIds)}'s base)`);
  }
  const busy = group('busy');
  if (busy.length > 0) {
    const who = [...byStaff('busy').keys()];
    parts.push(
      task.staff.length > 1
        ? `no common free time for ${names(staffIds)} on ${every(busy) ? `the days ${family.placeName} can be visited` : ranges(busy)} (busy: ${names(who)})`
        : `${names(who.length > 0 ? who : staffIds)} busy during the window on ${ranges(busy)}`,
    );
  }
  const familyFull = group('family-full');
  if (familyFull.length > 0) {
    parts.push(
      `${family.id} already has maxSessionsPerDay (${family.maxPerDay}) visits on ${every(familyFull) ? 'every feasible day' : ranges(familyFull)}`,
    );
  }
  for (const [id, list] of byStaff('staff-full')) {
    const max = model.staff.find((s) => s.id === id)?.maxPerDay ?? 0;
    parts.push(`${id} already at maxVisitsPerDay (${max}) on ${list.length === windowDays.length ? 'every feasible day' : ranges(list)}`);
  }
  const taken = group('taken');
  if (taken.length > 0) {
    parts.push(
      task.staff.length > 1
        ? `no common free time for ${names(staffIds)} left on ${ranges(taken)}: their free time in ${family.placeName}'s windows went to other visits`
        : `${staffIds[0] ?? ''}'s free time in ${family.placeName}'s windows on ${ranges(taken)} went to other visits`,
    );
  }
  return parts.length > 0 ? parts.join('; ') : `no allowed time left for ${names(staffIds)} in ${family.placeName}'s windows`;
}
