/**
 * The demo's one dictionary: every text of the page in Simplified Chinese, keyed by its English
 * text (which the code shows as it is in English). `{name}` marks a value filled in by t().
 * test/browser/demo-language.browser-spec.ts fails when a text of the page has no entry here.
 */
export const ZH: Readonly<Record<string, string>> = {
  // Page frame and navigation
  'OneAccess BFF demo': 'OneAccess BFF 演示',
  'Every sign-in flow, through the gateway’s public API': '每一种登录流程，均通过网关的公开 API',
  'The page talks to the gateway only through its public contract (':
    '本页只通过网关的公开契约与其通信（每个非安全请求都带 ',
  ' on every unsafe call). No token ever reaches it.': '）。任何令牌都不会到达本页。',
  Flows: '流程',
  'Sign in': '登录',
  'No account yet?': '还没有账号？',
  'Signed in': '已登录',
  Step: '步骤',
  'To continue': '继续',
  Password: '密码',
  'SMS code': '短信验证码',
  'WeChat / Alipay': '微信 / 支付宝',
  'OneAccess redirect': 'OneAccess 跳转登录',
  Register: '注册',
  'Reset password': '重置密码',
  Overview: '概览',
  Profile: '个人资料',
  'Social accounts': '社交账号',
  'Your devices': '你的设备',
  'Call an API': '调用 API',
  'SMS verification': '短信验证',
  'Change password': '修改密码',
  'Link your account': '关联账号',
  'Sign out': '退出登录',
  'Signing out…': '正在退出…',
  'Signed out': '已退出登录',
  'Sign-in cancelled': '已取消登录',
  'Cancel sign-in': '取消登录',
  'To end your OneAccess session as well, ': '如需同时结束 OneAccess 会话，请',
  'sign out of OneAccess': '退出 OneAccess',
  '.': '。',
  'The gateway session is gone; its cookie is cleared.': '网关会话已结束，其 Cookie 已清除。',
  'Signed in through the OneAccess redirect': '已通过 OneAccess 跳转登录',
  'The callback set the SameSite=Strict session cookie and brought you back here.':
    '回调设置了 SameSite=Strict 的会话 Cookie，并将你带回了本页。',
  'Your session has ended': '你的会话已结束',
  'The sign-in step has expired': '登录步骤已过期',
  'Sign in again to continue.': '请重新登录以继续。',
  'Sign in first: this page shows your own account.': '请先登录：本页显示的是你自己的账号。',
  'Go to sign-in': '前往登录',
  'There is no sign-in step waiting for this.': '当前没有等待此操作的登录步骤。',
  'Sign in first': '请先登录',
  'Please try again.': '请重试。',
  'OneAccess sign-in did not complete': 'OneAccess 登录未完成',
  'The sign-in was not started from this browser, was already used, or took longer than 10 minutes. Please start again.':
    '此登录并非从本浏览器发起、已被使用，或耗时超过 10 分钟。请重新开始。',
  'OneAccess did not grant the sign-in.': 'OneAccess 未允许此次登录。',
  'OneAccess refused the sign-in.': 'OneAccess 拒绝了此次登录。',
  'The identity OneAccess sent back could not be verified. Please start again.':
    '无法验证 OneAccess 返回的身份。请重新开始。',
  'OneAccess could not be reached. Please try again shortly.': '无法连接 OneAccess，请稍后再试。',
  'The session service is unavailable. Please try again shortly.': '会话服务暂不可用，请稍后再试。',

  // Notices
  'Please check the form': '请检查表单',
  'OneAccess refused the request': 'OneAccess 拒绝了该请求',
  'Wrong credentials or code': '凭据或验证码错误',
  'You are not signed in': '你尚未登录',
  'Request refused by the CSRF check': '请求未通过 CSRF 检查',
  'Access denied': '拒绝访问',
  'Account locked': '账号已锁定',
  'Not found': '未找到',
  'This step is not pending any more': '此步骤已不再等待处理',
  'Solve the captcha first': '请先完成图形验证',
  'Too much data': '数据过多',
  'Unsupported request': '不支持的请求',
  'Too many attempts': '尝试次数过多',
  'OneAccess answered unexpectedly': 'OneAccess 返回了异常应答',
  'OneAccess is unavailable': 'OneAccess 暂不可用',
  'Sessions are unavailable': '会话服务暂不可用',
  'OneAccess did not answer in time': 'OneAccess 未能及时应答',
  'Something went wrong': '出现了错误',
  'No connection to the gateway': '无法连接网关',
  'Something went wrong in this page': '本页出现了错误',
  'The request failed': '请求失败',
  'OneAccess {code}': 'OneAccess {code}',
  'request id {id}': '请求 ID {id}',
  'Try again in {s} s.': '请在 {s} 秒后重试。',
  Dismiss: '关闭',

  // Session panel
  Session: '会话',
  'Session ': '会话 ',
  live: '实时',
  'Polled every 3 seconds': '每 3 秒轮询一次',
  Anonymous: '匿名',
  'Waiting for the SMS code (MFA)': '等待短信验证码（多因素认证）',
  'Password about to expire': '密码即将过期',
  'Password expired': '密码已过期',
  'Social account to bind': '待关联的社交账号',
  'Loading…': '加载中…',
  'can skip': '可跳过',
  ' Polled every 3 s with ': ' 每 3 秒轮询一次，使用 ',
  ', which does not extend the idle timer.': '，不会延长空闲计时。',
  ' is ': ' 为 ',
  ': the session cookie is HttpOnly, so this page never sees it.':
    '：会话 Cookie 是 HttpOnly 的，本页永远看不到它。',
  'Raw answer of GET /auth/session': 'GET /auth/session 的原始应答',
  Status: '状态',
  User: '用户',
  'User id': '用户 ID',
  Mobile: '手机号',
  Email: '邮箱',
  'Login method': '登录方式',
  Pending: '待处理',
  Ends: '结束时间',
  'Idle end': '空闲结束时间',
  'Last poll failed ({code}); showing the previous answer.':
    '上次轮询失败（{code}），显示的是之前的应答。',
  'Updated {time}.': '更新于 {time}。',
  '{at} (now)': '{at}（现在）',
  '{n}\u00a0s': '{n}\u00a0秒',
  '{n}\u00a0min': '{n}\u00a0分钟',
  '{n}\u00a0h': '{n}\u00a0小时',
  '{n}\u00a0d': '{n}\u00a0天',
  '{at} (in\u00a0{span})': '{at}（{span}后）',
  '{at} ({span}\u00a0ago)': '{at}（{span}前）',

  // Captcha and SMS codes
  'Captcha picture with a gap': '带缺口的验证图片',
  'Captcha slider: drag right until the piece fills the gap':
    '滑块验证：向右拖动，直到拼图块填满缺口',
  'Drag the slider to fit the piece': '拖动滑块，使拼图块吻合',
  'New picture': '换一张',
  'Slider captcha': '滑块验证',
  'Loading a picture…': '正在加载图片…',
  'No picture: try "New picture".': '没有图片：请尝试“换一张”。',
  'Checking…': '正在校验…',
  Verified: '已通过验证',
  'Not quite. Try this new picture.': '不太对，请试试这张新图片。',
  'captcha image could not be decoded': '验证图片无法解码',
  '6 digits': '6 位数字',
  'Code sent': '验证码已发送',
  'A code is on its way to {mobile}.': '验证码正在发送至 {mobile}。',
  'your registered mobile': '你绑定的手机号',
  'Get code': '获取验证码',
  'Enter the mobile number (digits only) first.': '请先输入手机号（仅数字）。',
  'Send again': '重新发送',
  'Send again in {s} s': '{s} 秒后可重新发送',
  'Code sent. It stays valid for a few minutes.': '验证码已发送，几分钟内有效。',
  'Open the SMS outbox (development)': '打开短信发件箱（开发用）',

  // Views: shared
  'Development: ': '开发提示：',
  Code: '验证码',
  'User name': '用户名',
  'Mobile number': '手机号',
  Name: '姓名',
  'Signing in…': '正在登录…',
  'Saving…': '正在保存…',
  'The two new passwords differ.': '两次输入的新密码不一致。',
  'New password': '新密码',
  'New password again': '再次输入新密码',
  'OneAccess’s default policy: 8 to 18 characters, with a letter and a digit.':
    'OneAccess 的默认策略：8 到 18 个字符，包含字母和数字。',
  'Welcome, {name}': '欢迎，{name}',
  'Signed in with {method}. The gateway issued a new session cookie.':
    '已通过{method}登录。网关签发了新的会话 Cookie。',
  'your password': '密码',
  'a password': '密码',
  'an SMS code': '短信验证码',
  password: '密码',
  registration: '注册',
  WeChat: '微信',
  Alipay: '支付宝',
  'a new account': '新账号',
  'the OneAccess redirect': 'OneAccess 跳转登录',
  'the OneAccess redirect (OAuth 2.0)': 'OneAccess 跳转登录（OAuth 2.0）',

  // Live updates
  'Live updates': '实时更新',
  'Live updates over a WebSocket': '通过 WebSocket 实时更新',
  'A route with "websocket": true relays WebSockets. The gateway checks the session and the Origin at the upgrade and closes every socket of a session with 4401 the moment it ends, in this tab or any other.':
    '设置了 "websocket": true 的路由会转发 WebSocket。网关在升级时检查会话和 Origin，会话一旦结束（无论在此标签页还是其他标签页），即以 4401 关闭该会话的所有连接。',
  'Socket: ': '连接：',
  'Connecting…': '正在连接…',
  Open: '已连接',
  'Reconnecting ({code})…': '正在重新连接（{code}）…',
  'Closed by the gateway: session ended (4401)': '已被网关关闭：会话已结束（4401）',
  'Live updates closed by the gateway: session ended (4401)':
    '实时更新已被网关关闭：会话已结束（4401）',
  // Call an API
  'JSON body': 'JSON 请求体',
  Send: '发送',
  'Sending…': '正在发送…',
  'The path must start with /api/<name>/.': '路径必须以 /api/<name>/ 开头。',
  'no content type': '无内容类型',
  ' · answered by the gateway': ' · 由网关应答',
  ' · answered by the upstream API': ' · 由上游 API 应答',
  '(empty body)': '（空）',
  'Call an API through the gateway': '通过网关调用 API',
  'The gateway forwards the call to the upstream registered under <name> in API_ROUTES, with your token as Authorization: Bearer. The page never sees the token; it sees the upstream’s answer.':
    '网关将调用转发给 API_ROUTES 中以 <name> 注册的上游，并以 Authorization: Bearer 附上你的令牌。本页永远看不到令牌，只看到上游的应答。',
  'Routes are configured on the gateway, e.g. ': '路由在网关上配置，例如 ',
  '. An unknown name answers 404 NOT_FOUND.': '。未知的名称会返回 404 NOT_FOUND。',
  Method: '方法',
  Path: '路径',

  // Your devices
  'Sign out all other devices': '退出所有其他设备',
  '1 other device signed out': '已退出 1 台其他设备',
  '{n} other devices signed out': '已退出 {n} 台其他设备',
  'Only this browser is still signed in.': '现在只有本浏览器仍处于登录状态。',
  'The list could not be loaded.': '无法加载列表。',
  '{device} signed out': '{device} 已退出登录',
  'Its next request will find no session.': '它的下一个请求将找不到会话。',
  'Sign out {device}': '退出 {device}',
  'This device': '本设备',
  'Signed in with {method} from {ip}, {when}': '通过{method}从 {ip} 登录，{when}',
  'an unknown address': '未知地址',
  'Last active {when}': '最近活动 {when}',
  'Browsers signed in to your account, newest first. Sign out any you do not recognise; it also ends its OneAccess session.':
    '登录了你账号的浏览器，最新的在前。退出任何你不认识的设备，这也会结束它的 OneAccess 会话。',

  // Overview
  'Signed in as {name}': '已以 {name} 的身份登录',
  'You signed in with {method}. The session ends ': '你通过{method}登录。会话将于 ',
  ', or after 30 minutes without activity by default.': ' 结束，默认无活动 30 分钟后也会结束。',
  'Not after the redirect login: OneAccess serves the profile and linked accounts to embedded (SDK) sign-ins only.':
    '跳转登录后不可用：OneAccess 只向嵌入式（SDK）登录提供个人资料和关联账号。',
  'view and edit your OneAccess profile.': '查看和编辑你的 OneAccess 个人资料。',
  'list and unlink WeChat or Alipay.': '查看并解除关联的微信或支付宝。',
  'see where you are signed in, and sign other devices out.': '查看你在哪里登录，并退出其他设备。',
  'through the gateway, which attaches your token.': '通过网关调用，网关会附上你的令牌。',

  // MFA
  'Verify and sign in': '验证并登录',
  'One more step: SMS verification': '还差一步：短信验证',
  'Your password was right. Your account also asks for a code sent to ':
    '密码正确。你的账号还需要验证发送到以下手机号的验证码：',
  'Verifying…': '正在验证…',

  // OAuth
  'Continue to OneAccess': '前往 OneAccess',
  'Sign in through the OneAccess page': '通过 OneAccess 页面登录',
  'The classic redirect login (OAuth 2.0 authorization code). You leave this page, sign in on OneAccess’s own page, and come back signed in. The gateway keeps the state and tokens; the browser only carries the one-time code.':
    '经典的跳转登录（OAuth 2.0 授权码）。你离开本页，在 OneAccess 自己的页面上登录，然后以登录状态返回。网关保存状态和令牌，浏览器只携带一次性授权码。',
  'This page → ': '本页 → ',
  ' (the gateway binds a one-time state to this browser)': '（网关将一次性 state 绑定到本浏览器）',
  'OneAccess sign-in page': 'OneAccess 登录页',
  'OneAccess → ': 'OneAccess → ',
  ' (the gateway checks the state, exchanges the code, sets the session cookie)':
    '（网关校验 state、兑换授权码并设置会话 Cookie）',
  'Back here, signed in': '以登录状态回到本页',
  'the simulator shows its own sign-in page; use a seed user such as zhangsan with {password}.':
    '模拟器会显示它自己的登录页；请使用种子用户，例如 zhangsan，密码 {password}。',

  // Password change
  'must match ': '必须匹配 ',
  'Password policy:': '密码策略：',
  '{min} to {max} characters': '{min} 到 {max} 个字符',
  'Not now': '暂不修改',
  'Changing…': '正在修改…',
  'Skipping…': '正在跳过…',
  'Your password has expired': '你的密码已过期',
  'Your password is about to expire': '你的密码即将过期',
  'Choose a new password to finish signing in.': '请设置新密码以完成登录。',
  'Choose a new password now, or keep the current one for the moment.':
    '现在设置新密码，或暂时保留当前密码。',
  'Current password': '当前密码',

  // Password sign-in
  'signs in': '直接登录',
  'MFA by SMS': '短信多因素认证',
  'password about to expire': '密码即将过期',
  'password expired': '密码已过期',
  'access denied': '拒绝访问',
  'Too many failed attempts: solve the slider to try again.':
    '失败次数过多：请完成滑块验证后重试。',
  'Sign in with a password': '使用密码登录',
  'OneAccess may answer with a further step (SMS verification, a password change); the page follows it.':
    'OneAccess 可能要求进一步的步骤（短信验证、修改密码），本页会随之引导。',
  'seed users, all with the password {password}: ': '种子用户，密码均为 {password}：',

  // Profile
  Nickname: '昵称',
  'First name': '名',
  'Middle name': '中间名',
  'Last name': '姓',
  'Avatar URL': '头像 URL',
  'Not specified': '未指定',
  Male: '男',
  Female: '女',
  'Save changes': '保存修改',
  'Extension must be a JSON object.': '扩展属性必须是 JSON 对象。',
  'Nothing to save': '没有需要保存的内容',
  'No field was changed.': '没有字段被修改。',
  'Profile saved': '个人资料已保存',
  'Changed: {fields}.': '已修改：{fields}。',
  'Loading your profile…': '正在加载你的个人资料…',
  Gender: '性别',
  Birthday: '生日',
  'Extension attributes (JSON)': '扩展属性（JSON）',
  'The profile could not be loaded.': '无法加载个人资料。',
  'Your profile': '你的个人资料',
  'Read from OneAccess with the session’s own credentials (the gateway signs the call); only changed fields are sent.':
    '使用会话自身的凭据从 OneAccess 读取（网关为调用签名）；只发送修改过的字段。',

  // Register
  'Create account': '创建账号',
  'Create an account': '创建账号',
  'Only the mobile number and its code are required; you are signed in straight away.':
    '只需手机号和验证码；注册后即自动登录。',
  'Creating…': '正在创建…',
  Optional: '可选',
  'Defaults to the mobile number.': '默认为手机号。',
  'Without one, sign in by SMS code. OneAccess’s default policy: 8 to 18 characters, with a letter and a digit.':
    '不设置则使用短信验证码登录。OneAccess 的默认策略：8 到 18 个字符，包含字母和数字。',
  'use any 11-digit number the seed users do not have, e.g. 13900000001.':
    '使用任意种子用户未占用的 11 位号码，例如 13900000001。',

  // Reset password
  'Set new password': '设置新密码',
  'Forgot your password?': '忘记密码？',
  'Prove your mobile number with an SMS code and choose a new password. This also lifts a lock after too many wrong passwords.':
    '用短信验证码证明手机号归属并设置新密码。这也会解除因密码错误次数过多造成的锁定。',
  'Password changed': '密码已修改',
  'Sign in with your new password.': '请使用新密码登录。',
  'e.g. 13800000007 (wujiu).': '例如 13800000007（wujiu）。',

  // SMS sign-in
  'Sign in with an SMS code': '使用短信验证码登录',
  'Solve the slider captcha to get a code, then sign in with it.':
    '完成滑块验证以获取验证码，然后用它登录。',
  'no SMS is sent: the simulator keeps them in its outbox (link above). Seed mobiles: ':
    '不会真正发送短信：模拟器将它们保存在发件箱中（见上方链接）。种子手机号：',
  ' (zhangsan) to ': '（zhangsan）到 ',

  // Social accounts
  'No WeChat or Alipay account is linked. Sign in with one to link it.':
    '没有关联微信或支付宝账号。用其中之一登录即可关联。',
  Provider: '提供方',
  Linked: '关联时间',
  Unlink: '解除关联',
  'Unlinking…': '正在解除关联…',
  '{provider} unlinked': '已解除关联{provider}',
  '{who} no longer signs in to this account.': '{who} 不能再登录此账号。',
  'Unlink {provider} {nickname}': '解除关联{provider} {nickname}',
  'Linked social accounts': '已关联的社交账号',
  'WeChat and Alipay identities that sign in to this account.': '可登录此账号的微信和支付宝身份。',

  // Social bind
  'Link to my account': '关联到我的账号',
  'Create an account and link': '创建账号并关联',
  'Linking…': '正在关联…',
  'Link your {name} account': '关联你的{name}账号',
  'This {name} identity is not linked to an account yet. Prove a mobile number with an SMS code, then link it to the account with that number, or create a new account for it.':
    '此{name}身份尚未关联账号。请用短信验证码证明手机号，然后将其关联到该手机号的账号，或为它创建新账号。',
  'link to a seed user with its mobile (e.g. 13800000006 for zhouba), or create an account with any unused number.':
    '用种子用户的手机号关联（例如 zhouba 的 13800000006），或用任意未使用的号码创建账号。',

  // Social sign-in
  'bound to zhangsan': '已关联 zhangsan',
  'not bound yet': '尚未关联',
  'a fresh identity': '全新身份',
  'the code the provider gave back': '提供方返回的授权码',
  'Sign in with WeChat or Alipay': '使用微信或支付宝登录',
  'In a real app the provider’s authorization page hands back a one-time code; here you type it. An identity not linked to an account leads to the linking step.':
    '在真实应用中，提供方的授权页会返回一次性授权码；这里由你手动输入。未关联账号的身份会进入关联步骤。',
  'Provider code': '提供方授权码',
  'the simulator stands in for the provider. Codes: ': '模拟器充当提供方。授权码：',
};
