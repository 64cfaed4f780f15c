// The local console: Cognito sign-up/confirm/sign-in (the Cognito JSON protocol, as the AWS
// SDK sends it), and GraphiQL whose fetcher attaches the access token like Amplify does (raw
// token, no "Bearer") and runs subscriptions over AppSync's real-time WebSocket protocol.
/* global React, ReactDOM, GraphiQL */
(async () => {
  const outputs = await (await fetch('/amplify_outputs.json')).json();
  // The schema is in the repository anyway; loading it here lets GraphiQL show docs before sign-in.
  const schema = await (await fetch('/console/schema.json')).json();
  const $ = (id) => document.getElementById(id);
  const status = (text) => ($('status').textContent = text);
  const tokens = () => JSON.parse(sessionStorage.getItem('tokens') || 'null');

  async function cognito(operation, body) {
    const response = await fetch(outputs.auth.user_pool_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify({ ClientId: outputs.auth.user_pool_client_id, ...body }),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok)
      throw new Error(
        `${String(json.__type || response.status)
          .split('#')
          .pop()}: ${json.message || ''}`,
      );
    return json;
  }

  function remember(result) {
    const previous = tokens();
    const claims = JSON.parse(atob(result.AccessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    sessionStorage.setItem(
      'tokens',
      JSON.stringify({
        access: result.AccessToken,
        refresh: result.RefreshToken || previous?.refresh,
        exp: claims.exp,
        username: claims.username,
      }),
    );
    status(`Signed in as ${$('email').value || claims.username}`);
  }

  async function accessToken() {
    const t = tokens();
    if (!t) return undefined;
    if (t.exp * 1000 - Date.now() > 10_000) return t.access;
    remember((await cognito('GetTokensFromRefreshToken', { RefreshToken: t.refresh })).AuthenticationResult);
    return tokens().access;
  }

  const run = (fn) => async () => {
    try {
      await fn();
    } catch (error) {
      status(error.message);
    }
  };
  const credentials = () => ({ Username: $('email').value.trim(), Password: $('password').value });
  $('signUp').onclick = run(async () => {
    const { Username, Password } = credentials();
    await cognito('SignUp', { Username, Password, UserAttributes: [{ Name: 'email', Value: Username }] });
    status('Signed up: the code is in the outbox');
  });
  $('confirm').onclick = run(async () => {
    await cognito('ConfirmSignUp', { Username: credentials().Username, ConfirmationCode: $('code').value.trim() });
    status('Confirmed: sign in now');
  });
  // A user who turned on TOTP MFA is asked for the authenticator code: it goes in the code box.
  let mfa = null;
  $('signIn').onclick = run(async () => {
    const { Username, Password } = credentials();
    if (mfa?.username === Username) {
      const ChallengeResponses = { USERNAME: Username, SOFTWARE_TOKEN_MFA_CODE: $('code').value.trim() };
      const answer = await cognito('RespondToAuthChallenge', {
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: mfa.session,
        ChallengeResponses,
      });
      mfa = null;
      return remember(answer.AuthenticationResult);
    }
    const answer = await cognito('InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: Username, PASSWORD: Password },
    });
    if (answer.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
      mfa = { username: Username, session: answer.Session };
      return status('Two-factor sign-in: type the code from your authenticator app in the code box, then Sign in');
    }
    remember(answer.AuthenticationResult);
  });
  $('signOut').onclick = run(async () => {
    const t = tokens();
    sessionStorage.removeItem('tokens');
    status('Not signed in');
    if (t) await cognito('RevokeToken', { Token: t.refresh }).catch(() => {});
  });
  if (tokens()) status(`Signed in as ${tokens().username}`);

  const isSubscription = ({ query, operationName }) => {
    const ops = [...query.matchAll(/(^|\n)\s*(query|mutation|subscription)\s*(\w*)/g)];
    const op = operationName ? ops.find((m) => m[3] === operationName) : ops[0];
    return op?.[2] === 'subscription';
  };

  function subscribe(params, token) {
    const host = location.host;
    const header = btoa(JSON.stringify({ Authorization: token, host }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    // The page is plain HTTP, so the socket is too: the server speaks both on one port.
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${host}/graphql/realtime`, [
      'graphql-ws',
      `header-${header}`,
    ]);
    const queue = [];
    let wake;
    let done = false;
    const push = (item) => {
      queue.push(item);
      wake?.();
    };
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'connection_ack') {
        socket.send(
          JSON.stringify({
            id: '1',
            type: 'start',
            payload: {
              data: JSON.stringify({ query: params.query, variables: params.variables || {} }),
              extensions: { authorization: { Authorization: token, host } },
            },
          }),
        );
      } else if (message.type === 'start_ack') push({ data: { status: 'subscribed: waiting for events…' } });
      else if (message.type === 'data') push(message.payload);
      else if (message.type === 'error' || message.type === 'connection_error')
        push({ errors: message.payload.errors });
    };
    socket.onclose = () => {
      done = true;
      wake?.();
    };
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        while (!queue.length && !done) await new Promise((resolve) => (wake = resolve));
        return queue.length ? { value: queue.shift(), done: false } : { value: undefined, done: true };
      },
      async return() {
        if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ id: '1', type: 'stop' }));
        socket.close();
        return { value: undefined, done: true };
      },
    };
  }

  async function fetcher(params) {
    const token = await accessToken().catch(() => undefined);
    if (isSubscription(params)) {
      if (!token) return { errors: [{ message: 'Sign in first: subscriptions need a user pool token' }] };
      return subscribe(params, token);
    }
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
      body: JSON.stringify(params),
    });
    return response.json();
  }

  const today = new Date().toISOString().slice(0, 10);
  const tabs = [
    {
      query: `# Sign up, confirm (code in the outbox), sign in; then run.\nquery Me {\n  me { id email name homeCurrency timezone dateOrder }\n}\n`,
    },
    {
      query: `mutation CreateExpense {\n  createExpense(input: {merchant: "Corner Cafe", amount: 1250, currency: "EUR", date: "${today}", category: DINING}) {\n    id merchant amount currency date category categorySource version\n  }\n}\n`,
    },
    {
      query: `query ListExpenses {\n  listExpenses(limit: 20) {\n    items { id merchant amount currency date category }\n    nextToken\n  }\n}\n`,
    },
    {
      query: `mutation CreateBudget {\n  createBudget(input: {name: "Eating out", category: DINING, period: MONTHLY, amount: 20000, currency: "EUR", thresholds: [50, 80, 100]}) {\n    id name amount thresholds\n  }\n}\n`,
    },
    {
      query: `subscription OnBudgetAlert {\n  onBudgetAlert { budgetName category threshold spent limit currency firedAt }\n}\n`,
    },
    {
      query: `subscription OnReceiptProcessed {\n  onReceiptProcessed { id status expenseId extraction { merchant { value confidence } total { amount confidence } } }\n}\n`,
    },
  ];
  ReactDOM.createRoot($('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      schema,
      defaultTabs: tabs,
      defaultEditorToolsVisibility: false,
      shouldPersistHeaders: false,
    }),
  );
})();
