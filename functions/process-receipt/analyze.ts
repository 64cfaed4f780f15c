import { AnalyzeExpenseCommand, type AnalyzeExpenseCommandOutput, type TextractClient } from '@aws-sdk/client-textract';
import type { ReceiptExtraction } from '../../generated/graphql.ts';
import { OcrUnreadable, type OwnerProfile } from './core.ts';

// Textract's answers for a document it cannot read, as opposed to throttling or outages (retried).
const UNREADABLE_ERRORS = new Set([
  'UnsupportedDocumentException',
  'BadDocumentException',
  'DocumentTooLargeException',
  'InvalidParameterException',
]);

export type ParseAnalyzeExpense = (
  response: AnalyzeExpenseCommandOutput,
  options: { dateOrder: OwnerProfile['dateOrder']; today?: Date; homeCurrency?: string },
) => ReceiptExtraction;

/** AnalyzeExpense on the bytes (Textract on AWS, the local Textract locally), parsed into one extraction. */
export function createTextractAnalyzer(
  client: TextractClient,
  parse: ParseAnalyzeExpense,
  now: () => Date = () => new Date(),
) {
  return async (bytes: Uint8Array, profile: OwnerProfile): Promise<ReceiptExtraction> => {
    let response: AnalyzeExpenseCommandOutput;
    try {
      response = await client.send(new AnalyzeExpenseCommand({ Document: { Bytes: bytes } }));
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (UNREADABLE_ERRORS.has(name)) throw new OcrUnreadable((error as Error).message || name);
      throw error;
    }
    return parse(response, { dateOrder: profile.dateOrder, today: now(), homeCurrency: profile.homeCurrency });
  };
}
