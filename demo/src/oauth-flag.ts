// Remembers across the redirect login (which leaves the page) that one is under way, so the page
// can greet the person when the callback brings them back.
const KEY = 'demo-oauth-started';

export function markOAuthStarted(): void {
  sessionStorage.setItem(KEY, '1');
}

/** True once after coming back from a redirect login this tab started. */
export function takeOAuthStarted(): boolean {
  const started = sessionStorage.getItem(KEY) !== null;
  sessionStorage.removeItem(KEY);
  return started;
}
