import { Link } from 'wouter';
import { cancelReasonLabel, kindLabel, statusLabel } from '../../lib/labels';
import { hhmm, local } from '../../lib/time';
import type { QueuedAction, ScheduleItem, ScheduleSnapshot } from './device-store';

/** Minutes of travel to each item from the previous stop of its day (the first from the person's base), by id. */
export interface Travel {
  minutes: number;
  from: string;
  /** The first stop of the day: from the person's base. */
  fromBase: boolean;
}

export function travelById(snapshot: ScheduleSnapshot): Map<string, Travel> {
  const out = new Map<string, Travel>();
  const lastPlace = new Map<string, string>();
  for (const item of snapshot.items) {
    if (item.status === 'cancelled' || item.status === 'no_show' || !item.place) continue;
    const day = item.startLocal.slice(0, 10);
    const from = lastPlace.get(day) ?? snapshot.base;
    if (from) out.set(item.id, { minutes: snapshot.travel[from]?.[item.place] ?? 0, from, fromBase: !lastPlace.has(day) });
    lastPlace.set(day, item.place);
  }
  return out;
}

/** "25 min resa från basen (Kalmar)" or "40 min resa från förra besöket (Torsås)": the team's travel matrix. */
export const travelText = (t: Travel): string => `${t.minutes} min resa från ${t.fromBase ? 'basen' : 'förra stoppet'} (${t.from})`;

const pendingLabel = (q: QueuedAction) =>
  q.action.type === 'outcome'
    ? q.action.status === 'done'
      ? 'genomfört'
      : 'uteblev'
    : `avbokat (${cancelReasonLabel[q.action.reason] ?? q.action.reason})`;

/** What the list says about an item's state: the server's status, or what this phone holds unsent. */
export function StateBadge(props: { item: ScheduleItem; pending: QueuedAction | undefined }) {
  const { item, pending } = props;
  if (pending?.state === 'conflict') return <span className="badge bad">Konflikt – {pendingLabel(pending)} ej skickat</span>;
  if (pending?.state === 'refused') return <span className="badge bad">Ej mottaget</span>;
  if (pending) return <span className="badge warn">{pendingLabel(pending)} · ej skickat</span>;
  if (item.type === 'meeting') return null;
  if (item.status === 'planned') return null;
  return <span className={item.status === 'done' ? 'badge ok' : 'badge'}>{statusLabel[item.status]}</span>;
}

/** One visit or meeting as a tappable card: time, family code (or the meeting's title), kind, place, partner, travel. */
export function ItemCard(props: {
  item: ScheduleItem;
  me: string;
  travel: Travel | undefined;
  pending: QueuedAction | undefined;
  next?: boolean;
  showDay?: boolean;
}) {
  const { item, me, travel, pending } = props;
  const partners = item.staff.filter((s) => s !== me);
  const when = `${props.showDay ? `${local(item.startLocal).toFormat('ccc d/M')} ` : ''}${hhmm(item.startLocal)}–${hhmm(item.endLocal)}`;
  const title = item.type === 'visit' ? item.family : item.title;
  const what = item.type === 'visit' ? `${kindLabel[item.kind] ?? item.kind}besök` : item.mode === 'online' ? 'möte (online)' : 'möte';
  const off = item.status === 'cancelled' || item.status === 'no_show';
  return (
    <li
      className={`titem${props.next ? ' next' : ''}${off ? ' off' : ''}${item.type === 'meeting' ? ' meeting' : ''}`}
      data-day={item.startLocal.slice(0, 10)}
    >
      {travel && travel.minutes > 0 && <p className="travel">{travelText(travel)}</p>}
      <Link href={`/${item.type === 'visit' ? 'besok' : 'mote'}/${item.id}`} className="tlink">
        <span className="twhen">{when}</span>
        <span className="ttitle">
          <strong>{title}</strong> · {what}
        </span>
        <span className="tmeta">
          {item.place ?? 'online'}
          {partners.length > 0 ? ` · med ${partners.join(', ')}` : ''}
        </span>
        <StateBadge item={item} pending={pending} />
      </Link>
    </li>
  );
}
