import type { DateTime } from 'luxon';
import { useEffect } from 'react';
import { holidaysBetween } from '../../../../shared/domain/holidays';
import { kindLabel, roleLabel, statusLabel, absenceKindLabel } from '../../lib/labels';
import { dayLabel, hhmm, isoDate, local, weekRange } from '../../lib/time';
import type { Absence, Meeting, ProposedVisit, StaffMember, Team, Visit } from './week-data';

/** One thing in a person's day on the board: a booked visit, a proposed one, or a meeting. */
type Item =
  | { type: 'visit'; visit: Visit; startLocal: string; endLocal: string; place: string }
  | { type: 'proposed'; visit: ProposedVisit; startLocal: string; endLocal: string; place: string }
  | { type: 'meeting'; meeting: Meeting; startLocal: string; endLocal: string; place: string };

/** The absence of a person on a day, if any: whole days, or the part of the day it blocks. */
export function absenceOn(absences: Absence[], day: DateTime): { absence: Absence; label: string } | undefined {
  const date = isoDate(day);
  for (const a of absences) {
    if (a.from > date || a.to < date) continue;
    if (!a.startLocal || !a.endLocal) return { absence: a, label: `Frånvarande (${absenceKindLabel[a.kind] ?? a.kind})` };
    const start = a.startLocal.slice(0, 10) === date ? hhmm(a.startLocal) : '00:00';
    const end = a.endLocal.slice(0, 10) === date ? hhmm(a.endLocal) : '24:00';
    return { absence: a, label: `Frånvarande ${start}–${end} (${absenceKindLabel[a.kind] ?? a.kind})` };
  }
  return undefined;
}

function itemsFor(staffId: string, date: string, visits: Visit[], proposed: ProposedVisit[], meetings: Meeting[]): Item[] {
  const items: Item[] = [];
  for (const v of visits)
    if (v.staff.includes(staffId) && v.startLocal.slice(0, 10) === date)
      items.push({ type: 'visit', visit: v, startLocal: v.startLocal, endLocal: v.endLocal, place: v.place });
  for (const v of proposed)
    if (v.staff.includes(staffId) && v.start.slice(0, 10) === date)
      items.push({ type: 'proposed', visit: v, startLocal: v.start, endLocal: v.end, place: v.place });
  for (const m of meetings) {
    if (m.staff.includes(staffId) && m.startLocal.slice(0, 10) === date && m.status !== 'cancelled')
      items.push({ type: 'meeting', meeting: m, startLocal: m.startLocal, endLocal: m.endLocal, place: m.place ?? '' });
  }
  return items.sort((a, b) => a.startLocal.localeCompare(b.startLocal));
}

const travel = (team: Team | undefined, from: string, to: string): number | undefined => (from && to ? team?.travelMinutes[from]?.[to] : undefined);

/**
 * The week board: staff as rows, Monday–Sunday as columns (a real table, so a screen reader walks it by row and
 * column headers). Every visit and meeting in place with its time, family code, kind and place, the travel between
 * consecutive stops, absences shaded, holidays marked. Proposed visits are dashed.
 */
export function WeekBoard(props: {
  week: string;
  days: DateTime[];
  staff: StaffMember[];
  team: Team | undefined;
  visits: Visit[];
  proposed: ProposedVisit[];
  meetings: Meeting[];
  absencesByStaff: Map<string, Absence[]>;
  onOpenVisit: (visit: Visit) => void;
}) {
  // For `npm run bench`: when the board with this week's data is on screen (Chromium's performance timeline).
  useEffect(() => {
    performance.mark('ikb:week-board', { detail: { week: props.week, visits: props.visits.length } });
  }, [props.week, props.visits]);
  const holidays = new Map(
    holidaysBetween(weekRange(props.week).from, weekRange(props.week).to, props.team?.holidayCalendar).map((h) => [h.date, h.name]),
  );
  const shown = props.visits.filter((v) => v.status !== 'cancelled');
  return (
    <div className="board-wrap">
      <table className="board">
        <caption>Besök och möten per person, vecka {Number(props.week.slice(6))}</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            {props.days.map((d) => (
              <th scope="col" key={isoDate(d)}>
                {dayLabel(d)}
                {holidays.has(isoDate(d)) && <span className="absence-label">{holidays.get(isoDate(d))}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.staff.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                {s.id}
                <span className="absence-label">{roleLabel[s.role] ?? s.role}</span>
              </th>
              {props.days.map((d) => {
                const date = isoDate(d);
                const absent = absenceOn(props.absencesByStaff.get(s.id) ?? [], d);
                const items = itemsFor(s.id, date, shown, props.proposed, props.meetings);
                const cls = absent ? 'absent' : holidays.has(date) ? 'holiday' : undefined;
                return (
                  <td key={date} className={cls}>
                    {absent && <span className="absence-label">{absent.label}</span>}
                    {items.length > 0 && (
                      <ul>
                        {items.map((item, i) => {
                          const prev = i > 0 ? items[i - 1] : undefined;
                          const gap = prev ? travel(props.team, prev.place, item.place) : undefined;
                          return (
                            <li
                              key={
                                item.type === 'meeting'
                                  ? `m-${item.meeting.id}`
                                  : item.type === 'visit'
                                    ? `v-${item.visit.id}`
                                    : `p-${item.visit.family}-${item.startLocal}`
                              }
                            >
                              {prev && gap !== undefined && prev.place !== item.place && (
                                <span className="gap">
                                  resa {gap} min, {Math.max(0, Math.round(local(item.startLocal).diff(local(prev.endLocal), 'minutes').minutes))} min
                                  mellan
                                </span>
                              )}
                              <EngagementItem
                                item={item}
                                absent={item.type === 'visit' && (item.visit.absentStaff ?? []).includes(s.id)}
                                onOpenVisit={props.onOpenVisit}
                              />
                            </li>
                          );
                        })}
                      </ul>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EngagementItem(props: { item: Item; absent: boolean; onOpenVisit: (visit: Visit) => void }) {
  const { item } = props;
  const time = `${hhmm(item.startLocal)}–${hhmm(item.endLocal)}`;
  if (item.type === 'meeting') {
    return (
      <span className="eng meeting">
        {time} <strong>{item.meeting.title}</strong> {item.place}
      </span>
    );
  }
  if (item.type === 'proposed') {
    return (
      <span className={`eng proposed kind-${item.visit.kind}`}>
        {time} <strong>{item.visit.family}</strong> {kindLabel[item.visit.kind]} · {item.place} <span className="badge warn">förslag</span>
      </span>
    );
  }
  const v = item.visit;
  return (
    <button type="button" className={`eng kind-${v.kind} status-${v.status}${props.absent ? ' flagged' : ''}`} onClick={() => props.onOpenVisit(v)}>
      {time} <strong>{v.family}</strong> {kindLabel[v.kind]} · {v.place}
      {v.status !== 'planned' && <> · {statusLabel[v.status]}</>}
      {props.absent && <span className="badge bad">frånvaro</span>}
    </button>
  );
}

/** Each active family's visits this week against its 4–5 target (minSessions): shortfalls at a glance. */
export function FamilyTargets(props: {
  families: { code: string; place: string; minSessions: number; status: string }[];
  visits: Visit[];
  proposed: ProposedVisit[];
}) {
  const active = props.families.filter((f) => f.status === 'active');
  if (active.length === 0) return null;
  return (
    <div className="table-wrap">
      <table>
        <caption>Familjer mot målet denna vecka</caption>
        <thead>
          <tr>
            <th scope="col">Familj</th>
            <th scope="col">Ort</th>
            <th scope="col" className="num">
              Genomförda
            </th>
            <th scope="col" className="num">
              Bokade
            </th>
            {props.proposed.length > 0 && (
              <th scope="col" className="num">
                Föreslagna
              </th>
            )}
            <th scope="col" className="num">
              Mål
            </th>
            <th scope="col">Läge</th>
          </tr>
        </thead>
        <tbody>
          {active.map((f) => {
            const mine = props.visits.filter((v) => v.family === f.code);
            const done = mine.filter((v) => v.status === 'done').length;
            const booked = mine.filter((v) => v.status === 'planned').length;
            const proposed = props.proposed.filter((v) => v.family === f.code).length;
            const total = done + booked + proposed;
            const short = f.minSessions - total;
            return (
              <tr key={f.code}>
                <th scope="row">{f.code}</th>
                <td>{f.place}</td>
                <td className="num">{done}</td>
                <td className="num">{booked}</td>
                {props.proposed.length > 0 && <td className="num">{proposed}</td>}
                <td className="num">{f.minSessions}</td>
                <td>{short > 0 ? <span className="badge bad">{short} under målet</span> : <span className="badge ok">når målet</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
