/** Swedish words for the API's categories (SPEC §3), in one place. */
export const kindLabel: Record<string, string> = { family: 'familj', individual: 'individ', joint: 'gemensam' };
export const statusLabel: Record<string, string> = { planned: 'planerat', done: 'genomfört', cancelled: 'avbokat', no_show: 'uteblev' };
export const familyStatusLabel: Record<string, string> = {
  referred: 'remitterad',
  accepted: 'antagen',
  active: 'aktiv',
  completed: 'avslutad',
  declined: 'avböjd',
};
export const roleLabel: Record<string, string> = {
  coordinator: 'samordnare',
  family_therapist: 'familjeterapeut',
  individual_therapist: 'individualterapeut',
};
export const cancelReasonLabel: Record<string, string> = {
  illness: 'sjukdom',
  family_unavailable: 'familjen kan inte',
  staff_unavailable: 'personal kan inte',
  crisis: 'kris',
  weather_travel: 'väder/resa',
  rescheduled: 'ombokat',
  treatment_ended: 'behandlingen avslutad',
  other: 'annat',
};
export const cancelledByLabel: Record<string, string> = { family: 'familjen', team: 'teamet' };
export const absenceKindLabel: Record<string, string> = {
  sick: 'sjuk',
  vacation: 'semester',
  parental: 'föräldraledig',
  training: 'utbildning',
  other: 'annat',
};
