import { DetectEntitiesCommand, type ComprehendClient, type LanguageCode } from '@aws-sdk/client-comprehend';
import type { DetectedEntity } from './core.ts';

/** Port: where entities come from. Comprehend on AWS; nothing locally unless configured. */
export interface EntityDetector {
  detectEntities(text: string): Promise<DetectedEntity[]>;
}

// DetectEntities accepts up to 100 KB of UTF-8; a receipt's merchant and first lines say
// all that matters for a category, and a short text costs fewer Comprehend units.
const MAX_TEXT_CHARS = 2_000;

export function createComprehendEntityDetector(
  client: ComprehendClient,
  languageCode: LanguageCode = 'en',
): EntityDetector {
  return {
    async detectEntities(text) {
      const trimmed = text.trim().slice(0, MAX_TEXT_CHARS);
      if (!trimmed) return [];
      const response = await client.send(new DetectEntitiesCommand({ Text: trimmed, LanguageCode: languageCode }));
      return (response.Entities ?? []).map(({ Type, Text, Score }) => ({ Type, Text, Score }));
    },
  };
}

/** The detector used when Comprehend is not configured: categorization falls back to rules. */
export const NO_ENTITIES: EntityDetector = { detectEntities: async () => [] };
