import * as z from 'zod';

/** A text shown to users: Dutch first, English too. */
export const localizedText = z.object({ nl: z.string().min(1), en: z.string().min(1) }).strict();
export type LocalizedText = z.infer<typeof localizedText>;
