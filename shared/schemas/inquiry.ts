import * as z from 'zod';
import { IsoDate, Place } from './common.js';
import { inquiryChannels, inquiryKinds, inquiryOutcomes, inquirySources } from '../domain/categories.js';

/** An inquiry or consultation that is not a case (the slides' mörkertal): categories only — no free text, no code, no names. */
const InquiryFields = /* @__PURE__ */ (() => ({
  date: IsoDate,
  kind: z.enum(inquiryKinds),
  channel: z.enum(inquiryChannels),
  source: z.enum(inquirySources),
  municipality: Place,
  outcome: z.enum(inquiryOutcomes),
}))();
export const CreateInquiryBody = /* @__PURE__ */ (() => z.strictObject(InquiryFields))();
export type CreateInquiryBody = z.infer<typeof CreateInquiryBody>;
export const UpdateInquiryBody = /* @__PURE__ */ (() =>
  z.strictObject({
    version: z.number().int().min(1),
    date: IsoDate.optional(),
    kind: InquiryFields.kind.optional(),
    channel: InquiryFields.channel.optional(),
    source: InquiryFields.source.optional(),
    municipality: Place.optional(),
    outcome: InquiryFields.outcome.optional(),
  }))();
export type UpdateInquiryBody = z.infer<typeof UpdateInquiryBody>;
export const Inquiry = /* @__PURE__ */ (() =>
  z.object({ id: z.string(), ...InquiryFields, version: z.number().int(), createdAt: z.string(), updatedAt: z.string() }))();
export type Inquiry = z.infer<typeof Inquiry>;
export const InquiryParams = /* @__PURE__ */ (() => z.object({ id: z.string().regex(/^[a-f0-9-]{8,64}$/, 'malformed inquiry id') }))();
export const InquiryListQuery = /* @__PURE__ */ (() => z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional() }))();
export const DeleteInquiryQuery = /* @__PURE__ */ (() => z.strictObject({ version: z.coerce.number().int().min(1) }))();
