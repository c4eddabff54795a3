import { loggedPath } from './logged-path';

describe('loggedPath', () => {
  it('should drop the query string', () => {
    expect(loggedPath('/auth/oauth/callback?code=abc&state=def')).toBe('/auth/oauth/callback');
  });

  it("should mask the admin API's session handle, under a base path too", () => {
    expect(loggedPath('/admin/sessions/g1.abcd.efgh.ijkl')).toBe('/admin/sessions/[handle]');
    expect(loggedPath('/portal/admin/sessions/g1.x.y.z?x=1')).toBe(
      '/portal/admin/sessions/[handle]',
    );
    expect(loggedPath('/ADMIN/Sessions/g1.abcd.efgh.ijkl/')).toBe('/ADMIN/Sessions/[handle]/');
    expect(loggedPath('/admin/sessions')).toBe('/admin/sessions');
    expect(loggedPath('/admin/users/u-1/sessions')).toBe('/admin/users/u-1/sessions');
  });
});
