// Imported first by the local entry points: the AWS SDK warns on Node 20 that its releases
// from 2027 will need Node 22; the SDK versions here are pinned by the lockfile, so the
// warning is noise for `npm start` and the CLIs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
