import { Amplify } from 'aws-amplify';
import { ConsoleLogger } from 'aws-amplify/utils';

/**
 * The stack this app talks to, from `/amplify_outputs.json` (Amplify Gen 2's format): the
 * local stack serves it, and on AWS it is deployed beside the app from the stack's outputs.
 * Amplify keeps no custom Cognito endpoint from the file, so it is set on its own (the local
 * Cognito; on AWS it is the regional one anyway).
 */
export interface AmplifyOutputs {
  auth: {
    aws_region: string;
    user_pool_id: string;
    user_pool_client_id: string;
    user_pool_endpoint?: string;
    password_policy?: {
      min_length?: number;
      require_lowercase?: boolean;
      require_uppercase?: boolean;
      require_numbers?: boolean;
      require_symbols?: boolean;
    };
  };
  data: { url: string; aws_region: string };
}

export interface AppConfig {
  outputs: AmplifyOutputs;
  /** The local stack (`npm start`): its outbox holds the emails (sign-up codes, alerts, reports). */
  outboxUrl?: string;
}

/** Served by the same server as the app: keep its scheme (http or https) so the browser never mixes content. */
function onThisOrigin(url: string): string {
  const parsed = new URL(url);
  if (parsed.host !== location.host) return url;
  return `${location.origin}${parsed.pathname}${parsed.search}`;
}

// Amplify warns on every start that the (local) Cognito endpoint is a custom one: errors only.
ConsoleLogger.LOG_LEVEL = 'ERROR';

let loaded: Promise<AppConfig> | undefined;

export function loadConfig(): Promise<AppConfig> {
  return (loaded ??= (async () => {
    const response = await fetch('/amplify_outputs.json', { cache: 'no-cache' });
    if (!response.ok) throw new Error(`amplify_outputs.json: HTTP ${response.status}`);
    const outputs = (await response.json()) as AmplifyOutputs;
    outputs.data.url = onThisOrigin(outputs.data.url);
    if (outputs.auth.user_pool_endpoint)
      outputs.auth.user_pool_endpoint = onThisOrigin(outputs.auth.user_pool_endpoint);
    Amplify.configure(outputs as Parameters<typeof Amplify.configure>[0]);
    const config = Amplify.getConfig();
    if (outputs.auth.user_pool_endpoint) {
      Amplify.configure({
        ...config,
        Auth: { Cognito: { ...config.Auth!.Cognito, userPoolEndpoint: outputs.auth.user_pool_endpoint } },
      } as Parameters<typeof Amplify.configure>[0]);
    }
    const endpointHost = new URL(outputs.auth.user_pool_endpoint ?? 'https://cognito-idp.amazonaws.com').hostname;
    const local = !endpointHost.endsWith('.amazonaws.com');
    return { outputs, outboxUrl: local ? new URL('/outbox', outputs.data.url).href : undefined };
  })());
}
