/** The simulator's login page: where authorize sends a browser without an SSO session. */
export const LOGIN_PAGE_PATH = '/login';

/** The simulator's own sign-in form; the real page's path is not documented. */
export function loginPage(returnTo: string | undefined, error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OneAccess simulator - sign in</title></head>
<body>
<h1>OneAccess simulator</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${LOGIN_PAGE_PATH}">
<input type="hidden" name="redirect" value="${escapeHtml(returnTo ?? '')}">
<label>User name <input name="user_name" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
</body></html>`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
