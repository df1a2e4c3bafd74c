import * as z from 'zod';
import { completionTypes, declineReasons } from '../domain/categories.js';
import { IsoDate, Place, RecordMeta, Slug, WeekdayInterval } from './common.js';

/** Pseudonymous case code, e.g. KAL-2026-07. Never a name or personal identity number. */
export const FamilyCode = /* @__PURE__ */ (() => z.string().regex(/^[A-Z]{2,5}-\d{4}-\d{2,4}$/, 'must be a pseudonymous code like KAL-2026-07'))();

export const FamilyStatus = /* @__PURE__ */ (() => z.enum(['referred', 'accepted', 'active', 'completed', 'declined']))();
export type FamilyStatus = z.infer<typeof FamilyStatus>;

export const DeclineReason = /* @__PURE__ */ (() => z.enum(declineReasons))();
export const ReferralSource = /* @__PURE__ */ (() => z.enum(['socialtjanst', 'bup']))();
export const SessionKind = /* @__PURE__ */ (() => z.enum(['family', 'individual', 'joint']))();

export const SessionMix = /* @__PURE__ */ (() =>
  z
    .array(z.strictObject({ kind: SessionKind, count: z.number().int().min(0).max(7), minutes: z.number().int().min(15).max(240) }))
    .min(1)
    .superRefine((mix, ctx) => {
      const seen = new Set<string>();
      mix.forEach((s, i) => {
        if (seen.has(s.kind)) ctx.addIssue({ code: 'custom', message: `kind ${s.kind} appears twice`, path: [i, 'kind'] });
        seen.add(s.kind);
      });
    }))();

const FamilyFields = /* @__PURE__ */ (() => ({
  place: Place,
  referral: z.strictObject({ source: ReferralSource, date: IsoDate }),
  ageAtStart: z.number().int().min(12, 'IKB treats young people aged 12–18').max(18, 'IKB treats young people aged 12–18'),
  gender: z.enum(['girl', 'boy', 'other']).optional(),
  familyTherapist: Slug,
  individualTherapist: Slug,
  sessions: SessionMix,
  minSessions: z.number().int().min(0).max(14),
  windows: z.array(WeekdayInterval).min(1),
  maxSessionsPerDay: z.number().int().min(1).max(3).default(1),
  treatmentWeeks: z.number().int().min(8).max(26).default(16),
  receivingUnit: ReferralSource.optional(),
}))();

type MixShape = { sessions: { count: number }[]; minSessions: number };
function minWithinMix(f: MixShape, ctx: z.RefinementCtx): void {
  const total = f.sessions.reduce((n, s) => n + s.count, 0);
  if (f.minSessions > total) {
    ctx.addIssue({ code: 'custom', message: `minSessions (${f.minSessions}) exceeds the sessions in the mix (${total})`, path: ['minSessions'] });
  }
}

export const CreateFamilyBody = /* @__PURE__ */ (() => z.strictObject({ code: FamilyCode, ...FamilyFields }).superRefine(minWithinMix))();
export type CreateFamilyBody = z.infer<typeof CreateFamilyBody>;

export const UpdateFamilyBody = /* @__PURE__ */ (() =>
  z.strictObject({
    version: z.number().int().min(1),
    place: Place.optional(),
    referral: FamilyFields.referral.optional(),
    ageAtStart: FamilyFields.ageAtStart.optional(),
    gender: FamilyFields.gender,
    familyTherapist: Slug.optional(),
    individualTherapist: Slug.optional(),
    sessions: SessionMix.optional(),
    minSessions: FamilyFields.minSessions.optional(),
    windows: FamilyFields.windows.optional(),
    maxSessionsPerDay: z.number().int().min(1).max(3).optional(),
    treatmentWeeks: z.number().int().min(8).max(26).optional(),
    receivingUnit: ReferralSource.optional(),
  }))();
export type UpdateFamilyBody = z.infer<typeof UpdateFamilyBody>;

export const CompletionType = /* @__PURE__ */ (() => z.enum(completionTypes))();
const change = /* @__PURE__ */ (() => z.enum(['better', 'unchanged', 'worse', 'unknown']))();
/** Structured discharge outcomes (§9 outcomes.*); each optional, `unknown` when not known. */
export const DischargeOutcomes = /* @__PURE__ */ (() =>
  z.strictObject({
    schoolAttendance: z.enum(['increased', 'started', 'unchanged', 'decreased', 'unknown']).optional(),
    kaa: z.enum(['yes', 'no', 'unknown']).optional(),
    continuedCare: z.enum(['bup', 'socialtjanst', 'both', 'none', 'unknown']).optional(),
    livingAtHome: z.enum(['yes', 'no', 'unknown']).optional(),
    mentalHealth: change.optional(),
    conflictLevel: change.optional(),
    opennessToCare: change.optional(),
    symptoms: change.optional(),
    mutualUnderstanding: change.optional(),
  }))();
export type DischargeOutcomes = z.infer<typeof DischargeOutcomes>;
export const Completion = /* @__PURE__ */ (() => z.object({ type: CompletionType, outcomes: DischargeOutcomes.optional() }))();

export const Family = /* @__PURE__ */ (() =>
  z
    .object({
      teamId: Slug,
      code: FamilyCode,
      ...FamilyFields,
      status: FamilyStatus,
      declineReason: DeclineReason.optional(),
      /** The local date the referral was declined: the purge counts a declined referral's retention from it (§10). */
      declinedOn: IsoDate.optional(),
      treatmentStart: IsoDate.optional(),
      treatmentEnd: IsoDate.optional(),
      completion: Completion.optional(),
      /** Only that the de-linked tally was submitted (so it is counted once) — never what it said. */
      tallySubmitted: z.boolean().optional(),
      ...RecordMeta.shape,
    })
    .superRefine(minWithinMix))();
export type Family = z.infer<typeof Family>;

export const ReferralConcern = /* @__PURE__ */ (() =>
  z.enum([
    'self_harm',
    'suicidality',
    'risk_behaviour',
    'drugs',
    'parental_conflict',
    'high_conflict_level',
    'low_school_attendance',
    'inpatient_care',
    'low_treatment_adherence',
  ]))();
export const DiagnosisGroup = /* @__PURE__ */ (() =>
  z.enum(['behaviour_disorder', 'adhd', 'add', 'stress_reaction', 'anxiety_depression', 'gad', 'social_phobia', 'ocd']))();
/** The de-linked tally: the categories go to the team's yearly counters, never onto the case. */
export const TallyBody = /* @__PURE__ */ (() =>
  z.strictObject({
    version: z.number().int().min(1),
    concerns: z
      .array(ReferralConcern)
      .max(9)
      .refine((a) => new Set(a).size === a.length, 'a category appears twice'),
    diagnoses: z
      .array(DiagnosisGroup)
      .max(8)
      .refine((a) => new Set(a).size === a.length, 'a category appears twice'),
  }))();
export type TallyBody = z.infer<typeof TallyBody>;

/** Correcting a completed case's end date, completion type or outcomes later, with the version read. */
export const CompletionBody = /* @__PURE__ */ (() =>
  z.strictObject({
    version: z.number().int().min(1),
    endDate: IsoDate.optional(),
    completionType: CompletionType.optional(),
    outcomes: DischargeOutcomes.optional(),
  }))();
export type CompletionBody = z.infer<typeof CompletionBody>;

export const FamilyParams = /* @__PURE__ */ (() => z.object({ code: FamilyCode }))();

export const FamilyListQuery = /* @__PURE__ */ (() =>
  z.strictObject({
    status: FamilyStatus.optional(),
    place: Place.optional(),
    therapist: Slug.optional(),
  }))();

export const FamilyTransitionBody = /* @__PURE__ */ (() =>
  z
    .strictObject({
      to: z.enum(['accepted', 'active', 'completed', 'declined']),
      version: z.number().int().min(1),
      reason: DeclineReason.optional(),
      /** First day of treatment when activating; defaults to today in the team's zone. */
      startDate: IsoDate.optional(),
      /** Last day of treatment when completing; defaults to today, may be in the past but not before the start. */
      endDate: IsoDate.optional(),
      completionType: CompletionType.optional(),
      outcomes: DischargeOutcomes.optional(),
    })
    .superRefine((b, ctx) => {
      if (b.to === 'declined' && !b.reason)
        ctx.addIssue({ code: 'custom', message: 'a reason category is required when declining', path: ['reason'] });
      if (b.to !== 'declined' && b.reason) ctx.addIssue({ code: 'custom', message: 'reason only applies when declining', path: ['reason'] });
      if (b.to === 'completed' && !b.completionType)
        ctx.addIssue({ code: 'custom', message: 'a completion type is required when completing', path: ['completionType'] });
      for (const f of ['endDate', 'completionType', 'outcomes'] as const)
        if (b.to !== 'completed' && b[f] !== undefined) ctx.addIssue({ code: 'custom', message: `${f} only applies when completing`, path: [f] });
      if (b.to !== 'active' && b.startDate) ctx.addIssue({ code: 'custom', message: 'startDate only applies when activating', path: ['startDate'] });
    }))();
export type FamilyTransitionBody = z.infer<typeof FamilyTransitionBody>;

export const AuditEntry = /* @__PURE__ */ (() =>
  z.object({
    teamId: Slug,
    entity: z.enum(['family', 'visit', 'meeting', 'inquiry', 'retention', 'team']),
    entityId: z.string(),
    action: z.string(),
    actor: z.string(),
    at: z.string(),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    /** What the change broke that the planner would not (outside working hours or windows), accepted by hand. */
    warnings: z.array(z.string()).optional(),
  }))();
export type AuditEntry = z.infer<typeof AuditEntry>;
