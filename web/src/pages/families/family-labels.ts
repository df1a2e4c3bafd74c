import { findPersonalIdentityNumber } from '../../../../shared/domain/identity-number';

/** Swedish words for the family categories of shared/schemas/family.ts. */
export const sourceLabel: Record<string, string> = { socialtjanst: 'Socialtjänsten', bup: 'BUP' };
export const genderLabel: Record<string, string> = { girl: 'flicka', boy: 'pojke', other: 'annat' };
export const declineReasonLabel: Record<string, string> = {
  outside_target_group: 'Utanför målgruppen',
  family_declined: 'Familjen tackade nej',
  other_care_more_suitable: 'Annan insats passar bättre',
  no_capacity: 'Ingen plats i teamet',
  other: 'Annat',
};
export const completionTypeLabel: Record<string, string> = {
  as_planned: 'Enligt plan',
  ended_early_family: 'Avbröts i förtid av familjen',
  ended_early_team: 'Avbröts i förtid av teamet',
  moved: 'Familjen flyttade',
  other: 'Annat',
};
const change = { better: 'bättre', unchanged: 'oförändrat', worse: 'sämre', unknown: 'vet ej' };
const yesNo = { yes: 'ja', no: 'nej', unknown: 'vet ej' };
/** The discharge outcomes (§9 outcomes.*): each optional, in the order a coordinator fills them in. */
export const outcomeFields: { key: string; label: string; options: Record<string, string> }[] = [
  {
    key: 'schoolAttendance',
    label: 'Skolnärvaro',
    options: { increased: 'ökat', started: 'börjat i skolan', unchanged: 'oförändrad', decreased: 'minskat', unknown: 'vet ej' },
  },
  { key: 'kaa', label: 'Inom KAA (kommunala aktivitetsansvaret)', options: yesNo },
  {
    key: 'continuedCare',
    label: 'Fortsatt vård',
    options: { bup: 'BUP', socialtjanst: 'socialtjänsten', both: 'båda', none: 'ingen', unknown: 'vet ej' },
  },
  { key: 'livingAtHome', label: 'Bor hemma', options: yesNo },
  { key: 'mentalHealth', label: 'Psykiskt mående', options: change },
  { key: 'conflictLevel', label: 'Konfliktnivå', options: change },
  { key: 'opennessToCare', label: 'Öppenhet för vård', options: change },
  { key: 'symptoms', label: 'Symtom', options: change },
  { key: 'mutualUnderstanding', label: 'Ömsesidig förståelse', options: change },
];

export const codePattern = /^[A-Z]{2,5}-\d{4}-\d{2,4}$/;

/**
 * The case code is the only identifier the system keeps (SPEC §3): the same rule as the API's FamilyCode, with a
 * plainer word for the two mistakes that matter, a personal identity number and a name.
 */
export function codeProblem(raw: string): string | undefined {
  const code = raw.trim();
  if (!code) return 'Ange ärendets kod, t.ex. KAL-2026-07.';
  if (findPersonalIdentityNumber(code) || /\d{6}[-+]?\d{4}/.test(code))
    return 'Det ser ut som ett personnummer. Skriv aldrig personnummer här, bara ärendets kod (t.ex. KAL-2026-07).';
  if (/[\p{L}]{2,}\s+[\p{L}]{2,}/u.test(code) || /^[\p{Lu}][\p{Ll}]+$/u.test(code))
    return 'Det ser ut som ett namn. Skriv aldrig namn här, bara ärendets kod (t.ex. KAL-2026-07).';
  if (!codePattern.test(code)) return 'Koden ska se ut som KAL-2026-07: 2–5 versaler, årtal och löpnummer med bindestreck.';
  return undefined;
}
