import { useEffect, useState } from 'preact/hooks';
import { loadConfig, type AmplifyOutputs } from '../config.ts';

/** The pool's password rules in words (from amplify_outputs.json), shown under a new password. */
export function usePasswordRules(): string {
  const [policy, setPolicy] = useState<AmplifyOutputs['auth']['password_policy']>();
  useEffect(() => void loadConfig().then((c) => setPolicy(c.outputs.auth.password_policy)), []);
  if (!policy) return 'At least 8 characters.';
  const needs = [
    policy.require_lowercase && 'a lowercase letter',
    policy.require_uppercase && 'an uppercase letter',
    policy.require_numbers && 'a digit',
    policy.require_symbols && 'a symbol such as ! or -',
  ].filter(Boolean);
  return `At least ${policy.min_length ?? 8} characters${needs.length ? `, with ${needs.join(', ')}` : ''}.`;
}

/** The local stack's outbox, where sign-up codes land (no such thing on AWS: the code is emailed). */
export function useOutboxUrl(): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => void loadConfig().then((c) => setUrl(c.outboxUrl)), []);
  return url;
}
