/**
 * The categories the team records (SPEC §9): one list each, used by the API schemas that accept them and by the
 * figures that count them, so a new category cannot be accepted and then go uncounted.
 */
export const declineReasons = ['outside_target_group', 'family_declined', 'other_care_more_suitable', 'no_capacity', 'other'] as const;
export const completionTypes = ['as_planned', 'ended_early_family', 'ended_early_team', 'moved', 'other'] as const;
export const cancelReasons = [
  'illness',
  'family_unavailable',
  'staff_unavailable',
  'crisis',
  'weather_travel',
  'rescheduled',
  'treatment_ended',
  'staff_absence',
  'other',
] as const;
export const genders = ['girl', 'boy', 'other', 'unknown'] as const;
export const inquiryKinds = ['inquiry', 'consultation', 'information'] as const;
export const inquiryChannels = ['in_passing', 'phone', 'meeting', 'email', 'video'] as const;
export const inquirySources = ['socialtjanst', 'bup', 'school', 'other'] as const;
export const inquiryOutcomes = ['referral_expected', 'advice_given', 'not_target_group', 'other'] as const;
