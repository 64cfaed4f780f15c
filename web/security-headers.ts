/**
 * The web app's security headers, one definition for `npm start` (local/web-app.ts) and the
 * CloudFront response headers policy (infra/constructs/web-hosting.ts). The app loads only its
 * own scripts and styles; it talks to the API (HTTPS and the real-time WebSocket), Cognito and
 * the receipts bucket (presigned PUTs and image GETs), which the caller lists.
 */
export interface WebOrigins {
  /** Origins fetch/XHR/WebSocket may reach besides the app's own (API, wss:// real-time, Cognito, S3). */
  connect: string[];
  /** Origins images may come from besides the app's own (the receipts bucket's presigned GETs). */
  images: string[];
}

export function contentSecurityPolicy(origins: WebOrigins): string {
  const list = (values: string[]) => [...new Set(values)].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' blob: data: ${list(origins.images)}`.trim(),
    `connect-src 'self' ${list(origins.connect)}`.trim(),
    // A receipt PDF opens in a frame from the bucket.
    `frame-src 'self' blob: ${list(origins.images)}`.trim(),
    "worker-src 'self'",
    "manifest-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers besides the CSP (and HSTS, which only an HTTPS origin sends). */
export const OTHER_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'geolocation=(), microphone=(), payment=(), usb=()',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/** Two years, subdomains included: what hstspreload.org asks for. */
export const HSTS_MAX_AGE_SECONDS = 63_072_000;
