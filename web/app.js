// jixiao web UI: a single page over the JSON API (docs/api.md).  Plain DOM, no framework;
// every element is built with h() (no innerHTML), so no text from the server is ever markup.
// Routes are hashes: #/dashboard, #/me, #/statement/P101, #/people, #/import, #/runs,
// #/appeals, #/complaints, #/users, #/audit.

// ---- text, Chinese first ---------------------------------------------------------------

const TEXT = {
  login: ['登录', 'Log in'], user: ['用户名', 'User'], password: ['密码', 'Password'],
  logout: ['退出', 'Log out'], period: ['期间', 'Period'],
  dashboard: ['仪表盘', 'Dashboard'], me: ['我的结果', 'My results'], people: ['人员与部门', 'People and units'],
  import: ['导入', 'Import'], runs: ['核算', 'Runs'], appeals: ['申诉', 'Appeals'],
  complaints: ['投诉', 'Complaints'], customers: ['客户回访', 'Customers'], users: ['用户', 'Users'], audit: ['审计日志', 'Audit log'],
  denied: ['无权查看 (403)：您不能查看此内容。', 'No permission (403): you may not see this.'],
  norun: ['该期间尚无核算结果。', 'This period has no run yet.'],
  loading: ['加载中…', 'Loading…'],
  sales: ['销售额', 'Sales'], target: ['目标', 'Target'], collected: ['回款', 'Collected'],
  progress: ['目标完成', 'Target progress'], trend: ['月度销售趋势', 'Monthly sales'],
  byPerson: ['个人销售额', 'Sales by person'], grades: ['等级分布', 'Grade distribution'],
  alerts: ['预警', 'Alerts'], noAlerts: ['无预警', 'No alerts'], leaderboard: ['排行榜', 'Leaderboard'],
  id: ['工号', 'ID'], name: ['姓名', 'Name'], unit: ['部门', 'Unit'], role: ['角色', 'Role'],
  manager: ['上级', 'Manager'], base: ['基本工资', 'Base pay'], commission: ['提成', 'Commission'],
  bonus: ['奖金', 'Bonus'], deductions: ['扣款', 'Deductions'], total: ['合计', 'Total'],
  kpi: ['KPI', 'KPI'], qualitative: ['定性', 'Qualitative'], final: ['最终得分', 'Final score'],
  grade: ['等级', 'Grade'], rank: ['排名', 'Rank'], rankUnit: ['部门内排名', 'Rank in unit'],
  flags: ['标记', 'Flags'], calc: ['计算过程', 'The calculation'], item: ['项目', 'Item'],
  detail: ['说明', 'Detail'], value: ['值', 'Value'], source: ['来源', 'Source'],
  printable: ['打印工资单', 'Printable statement'], pdf: ['PDF 工资单', 'PDF statement'],
  appeal: ['提出申诉', 'Appeal'], reason: ['申诉理由', 'Reason'], send: ['提交', 'Send'],
  appealSent: ['申诉已提交', 'Appeal filed'], kind: ['数据类型', 'Kind'], file: ['文件', 'File'],
  upload: ['上传并校验', 'Upload and check'], imported: ['已导入', 'Imported'],
  importErrors: ['文件有错误，未导入任何数据：', 'The file has errors; nothing was imported:'],
  line: ['行', 'Line'], column: ['列', 'Column'], message: ['问题', 'Problem'],
  run: ['核算', 'Run'], plans: ['方案', 'Plans'], publish: ['发布', 'Publish'], lock: ['锁定', 'Lock'],
  compare: ['对比两次核算', 'Compare two runs'], state: ['状态', 'State'], published: ['已发布', 'published'],
  locked: ['已锁定', 'locked'], open: ['未锁定', 'open'], created: ['时间', 'Created'], by: ['操作人', 'By'],
  export: ['导出', 'Export'], diff: ['差额', 'Difference'], done: ['完成', 'Done'],
  status: ['状态', 'Status'], filed: ['提交时间', 'Filed'], due: ['期限', 'Due'], decide: ['处理', 'Decide'],
  accept: ['接受', 'Accept'], reject: ['驳回', 'Reject'], newGrade: ['新等级', 'New grade'],
  severity: ['严重程度', 'Severity'], opened: ['投诉时间', 'Opened'], responseDue: ['响应期限', 'Response due'],
  resolutionDue: ['解决期限', 'Resolution due'], owner: ['首问负责人', 'Owner'], escalate: ['升级至', 'Escalate to'],
  timer: ['时限', 'SLA timer'], late: ['超时', 'late'], left: ['剩余', 'left'], met: ['按时', 'met'],
  none: ['无', 'none'], add: ['添加', 'Add'], who: ['操作人', 'Who'], action: ['操作', 'Action'],
  what: ['对象', 'What'], at: ['时间', 'At'], before: ['之前', 'Before'], after: ['之后', 'After'],
  units: ['部门', 'Units'], headcount: ['人数', 'People'], parent: ['上级部门', 'Parent'], person: ['人员', 'Person'],
  metrics: ['服务指标', 'Service metrics'], onlyOverdue: ['只看逾期', 'Overdue only'],
  tier: ['层级', 'Tier'], klass: ['类别', 'Class'], cadence: ['回访周期(天)', 'Cadence (days)'],
  lastContact: ['上次联系', 'Last contact'], nextDue: ['下次应联系', 'Next due'], window: ['申诉截止', 'Appeals close'],
  noPerson: ['此账号未关联人员。', 'This account is not linked to a person.'],
  asOf: ['截至', 'as of'],
  sales_drop: ['销售下滑', 'sales drop'], sla_breach: ['投诉超时', 'SLA breach'],
  appeal_pending: ['待处理申诉', 'pending appeal'], report_overdue: ['报告迟交', 'late report'],
  m_complaints: ['投诉数', 'Complaints'], m_breached: ['超时', 'Breached'],
  m_response: ['1小时响应率', '1-hour response'], m_resolution: ['24小时解决率', '24-hour resolution'],
  m_recovery: ['挽回率', 'Recovery rate'], m_csat: ['满意度', 'CSAT'],
};
let lang = localStorage.getItem('jx-lang') === 'en' ? 'en' : 'zh';
const t = (k) => (TEXT[k] ? TEXT[k][lang === 'zh' ? 0 : 1] : k);

// ---- DOM and API helpers ---------------------------------------------------------------

/** h('td', {class: 'num'}, '12.00') -> an element; children may be strings, nodes or arrays. */
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === undefined || kid === null || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

class ApiError extends Error {
  constructor(status, message, body) { super(message); this.status = status; this.body = body; }
}

const state = { me: null, csrf: sessionStorage.getItem('jx-csrf') || '', period: '', periods: [] };

/** Call the API; JSON in and out.  401 sends the user back to the login form. */
async function api(path, opts = {}) {
  const init = { method: opts.method || 'GET', headers: {}, credentials: 'same-origin' };
  if (init.method !== 'GET') {
    init.headers['X-CSRF-Token'] = state.csrf;
    if (opts.raw !== undefined) init.body = opts.raw;
    else if (opts.body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(opts.body);
    }
  }
  const res = await fetch('/api' + path, init);
  let body = null;
  try { body = await res.json(); } catch { body = null; }
  if (res.status === 401 && path !== '/login' && path !== '/me') {
    state.me = null;
    showLogin();
  }
  if (!res.ok) throw new ApiError(res.status, (body && body.error) || res.statusText, body);
  return body;
}

const main = () => document.getElementById('main');
// Each route bumps seq; a page that finishes loading after the user has moved on must not
// draw over the new one, so every page takes alive() when it starts and page() checks it.
let seq = 0;
const alive = () => { const my = seq; return () => my === seq; };
function page(live, title, ...kids) {
  if (!live()) return false;
  main().replaceChildren(h('h1', null, title), ...kids);
  return true;
}
function errorBox(e) {
  if (e instanceof ApiError && e.status === 403) return h('p', { class: 'error denied', id: 'denied' }, t('denied'));
  return h('p', { class: 'error' }, e.message || String(e));
}
function table(head, rows, opts = {}) {
  return h('div', { class: 'scroll' }, h('table', { id: opts.id },
    h('thead', null, h('tr', null, head.map((c) => h('th', { class: c.num ? 'num' : null }, c.label || c)))),
    h('tbody', null, rows)));
}
const num = (v) => h('td', { class: 'num' }, v === null || v === undefined ? '' : v);
const money = (s) => (s === null || s === undefined ? '' : Number(s).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const has = (...roles) => state.me && roles.includes(state.me.role);
function clock(minutes) {
  const m = Math.abs(minutes);
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}
function minutesBetween(a, b) { // "YYYY-MM-DD HH:MM" strings, Shanghai time both
  const p = (s) => Date.parse(s.replace(' ', 'T') + ':00+08:00');
  return Math.round((p(b) - p(a)) / 60000);
}

// ---- the frame: login, nav, period, language -------------------------------------------

const PAGES = [
  { id: 'dashboard', roles: ['director', 'manager', 'hr', 'finance', 'admin'], show: showDashboard },
  { id: 'me', roles: null, show: showMe },
  { id: 'people', roles: ['director', 'manager', 'hr', 'finance', 'admin'], show: showPeople },
  { id: 'import', roles: ['hr', 'finance', 'admin'], show: showImport },
  { id: 'runs', roles: ['hr', 'finance', 'admin', 'director', 'manager'], show: showRuns },
  { id: 'appeals', roles: ['rep', 'engineer', 'manager', 'director', 'hr', 'finance', 'admin'], show: showAppeals },
  { id: 'complaints', roles: ['rep', 'engineer', 'manager', 'director', 'hr', 'finance', 'admin'], show: showComplaints },
  { id: 'customers', roles: ['rep', 'manager', 'director', 'hr', 'finance', 'admin'], show: showCustomers },
  { id: 'users', roles: ['admin'], show: showUsers },
  { id: 'audit', roles: ['admin'], show: showAudit },
];
function allowed(p) {
  if (!state.me) return false;
  if (p.id === 'me') return !!state.me.person_id;
  return p.roles.includes(state.me.role);
}

function showLogin(message) {
  document.getElementById('nav').hidden = true;
  document.getElementById('logout').hidden = true;
  document.querySelector('.period').hidden = true;
  document.getElementById('who').textContent = '';
  const user = h('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('p', { class: message ? 'error' : 'muted', id: 'login-error' }, message || '');
  const form = h('form', { class: 'login stack', id: 'login-form', onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const r = await api('/login', { method: 'POST', body: { user: user.value, password: pass.value } });
      state.csrf = r.csrf;
      sessionStorage.setItem('jx-csrf', r.csrf);
      state.me = r;
      await start();
    } catch (e) {
      msg.className = 'error';
      msg.textContent = e.message;
    }
  } }, h('h1', null, '绩效 jixiao — ' + t('login')),
  h('label', null, t('user'), user), h('label', null, t('password'), pass),
  h('button', { class: 'primary', type: 'submit', id: 'login-submit' }, t('login')), msg);
  main().replaceChildren(form);
}

function renderNav() {
  const nav = document.getElementById('nav');
  const here = (location.hash.split('/')[1] || '').split('?')[0];
  nav.replaceChildren(...PAGES.filter(allowed).map((p) =>
    h('a', { href: '#/' + p.id, 'data-page': p.id, class: p.id === here ? 'active' : null,
             onclick: () => { nav.classList.remove('open'); } }, t(p.id))));
  nav.hidden = false;
}

function landing() {
  return allowed(PAGES[0]) ? 'dashboard' : 'me';
}

async function start() {
  document.getElementById('logout').hidden = false;
  document.getElementById('who').textContent = `${state.me.user} · ${state.me.role}${state.me.person_id ? ' · ' + state.me.person_id : ''}`;
  try {
    state.periods = (await api('/periods')).periods;
  } catch (e) {
    state.periods = [];
  }
  const sel = document.getElementById('period');
  if (!state.periods.some((p) => p.period === state.period))
    state.period = state.periods.length ? state.periods[0].period : '';
  sel.replaceChildren(...state.periods.map((p) => h('option', { value: p.period, selected: p.period === state.period }, p.period)));
  document.querySelector('.period').hidden = state.periods.length === 0;
  if (!location.hash || location.hash === '#/' || location.hash === '#/login') location.hash = '#/' + landing();
  else route();
}

async function route() {
  seq++;
  const live = alive();
  if (!state.me) return showLogin();
  renderNav();
  const [, name, arg] = location.hash.split('/');
  if (name === 'statement') return showStatement(decodeURIComponent(arg || ''));
  const p = PAGES.find((x) => x.id === name);
  if (!p) { location.hash = '#/' + landing(); return; }
  if (!allowed(p)) { page(live, t(p.id), h('p', { class: 'error denied', id: 'denied' }, t('denied'))); return; }
  main().replaceChildren(h('p', { class: 'muted' }, t('loading')));
  try {
    await p.show();
  } catch (e) {
    page(live, t(p.id), errorBox(e));
  }
}

function relabel() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.getElementById('lang').textContent = lang === 'zh' ? 'EN' : '中文';
  document.getElementById('logout').textContent = t('logout');
  document.getElementById('period-label').textContent = t('period');
}

// ---- charts ------------------------------------------------------------------------------

const charts = [];
function chart(el, option) {
  if (!window.echarts) return;
  const c = window.echarts.init(el);
  c.setOption(option);
  charts.push(c);
}
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
function disposeCharts() { while (charts.length) charts.pop().dispose(); }

// ---- pages -----------------------------------------------------------------------------

async function showDashboard() {
  const live = alive();
  disposeCharts();
  if (!state.period) return page(live, t('dashboard'), h('p', { class: 'muted' }, t('norun')));
  const [dash, res] = await Promise.all([
    api(`/dashboard?period=${state.period}`),
    api(`/results?period=${state.period}`).catch(() => ({ people: [] })),
  ]);
  const people = dash.people;
  const sum = (k) => people.reduce((s, p) => s + (p[k] ? Number(p[k]) : 0), 0);
  const sales = sum('sales'), target = people.reduce((s, p) => s + (p.target ? Number(p.target) : 0), 0);
  const pct = target > 0 ? Math.round((sales / target) * 1000) / 10 : null;
  const bar = h('span');
  bar.style.width = `${Math.min(100, pct || 0)}%`;
  const cards = h('div', { class: 'cards' },
    h('div', { class: 'card' }, h('div', { class: 'muted' }, t('sales')), h('div', { class: 'big', id: 'dash-sales' }, money(sales))),
    h('div', { class: 'card' }, h('div', { class: 'muted' }, t('target')), h('div', { class: 'big' }, money(target))),
    h('div', { class: 'card' }, h('div', { class: 'muted' }, t('progress')), h('div', { class: 'big', id: 'dash-progress' }, pct === null ? '—' : pct + '%'), h('div', { class: 'bar' }, bar)),
    h('div', { class: 'card' }, h('div', { class: 'muted' }, t('collected')), h('div', { class: 'big' }, money(sum('collected')))));
  const byPerson = h('div', { class: 'chart', id: 'chart-people' });
  const trend = h('div', { class: 'chart', id: 'chart-trend' });
  const grades = h('div', { class: 'chart', id: 'chart-grades' });
  const alerts = dash.alerts.length
    ? h('ul', { id: 'alerts' }, dash.alerts.map((a) => h('li', { 'data-kind': a.kind }, h('span', { class: 'tag bad' }, t(a.kind)), ' ', lang === 'zh' ? a.zh : a.en)))
    : h('p', { class: 'muted', id: 'alerts' }, t('noAlerts'));
  const ranked = res.people.filter((p) => p.score || p.pay)
    .sort((a, b) => Number((b.score || {}).final || -1) - Number((a.score || {}).final || -1) ||
      Number((b.pay || {}).total || 0) - Number((a.pay || {}).total || 0));
  const board = table([t('rank'), t('id'), t('name'), t('unit'), { label: t('final'), num: true }, t('grade'), { label: t('total'), num: true }],
    ranked.slice(0, 20).map((p, i) => h('tr', null, num(i + 1), h('td', null, h('a', { href: '#/statement/' + encodeURIComponent(p.id) }, p.id)),
      h('td', null, p.name), h('td', null, p.unit_id || ''), num(p.score ? p.score.final : ''), h('td', { class: 'grade' }, p.score ? p.score.grade : ''),
      num(p.pay ? money(p.pay.total) : ''))), { id: 'leaderboard' });
  if (!page(live, t('dashboard') + ' · ' + dash.period, cards,
    h('div', { class: 'grid2' }, h('div', { class: 'card' }, h('h2', null, t('byPerson')), byPerson),
      h('div', { class: 'card' }, h('h2', null, t('trend')), trend)),
    h('div', { class: 'grid2' }, h('div', { class: 'card' }, h('h2', null, t('grades')), grades),
      h('div', { class: 'card' }, h('h2', null, t('alerts')), alerts)),
    h('h2', null, t('leaderboard')), board)) return;
  const withSales = people.filter((p) => Number(p.sales) !== 0 || p.target);
  chart(byPerson, {
    tooltip: { trigger: 'axis' }, legend: { data: [t('sales'), t('target')] },
    grid: { left: 60, right: 10, bottom: 60 },
    xAxis: { type: 'category', data: withSales.map((p) => p.name), axisLabel: { rotate: 45 } },
    yAxis: { type: 'value' },
    series: [{ name: t('sales'), type: 'bar', data: withSales.map((p) => Number(p.sales)) },
      { name: t('target'), type: 'bar', data: withSales.map((p) => (p.target ? Number(p.target) : 0)) }],
  });
  chart(trend, {
    tooltip: { trigger: 'axis' }, grid: { left: 70, right: 10 },
    xAxis: { type: 'category', data: dash.trend.map((m) => m.period) },
    yAxis: { type: 'value' },
    series: [{ name: t('sales'), type: 'line', data: dash.trend.map((m) => Number(m.sales)) }],
  });
  chart(grades, {
    tooltip: { trigger: 'item' },
    series: [{ type: 'pie', radius: '65%', data: ['S', 'A', 'B', 'C', 'D'].filter((g) => dash.grades[g]).map((g) => ({ name: g, value: dash.grades[g] })) }],
  });
}

/** One person's statement: pay, score, the calculation, and (for oneself) the appeal form. */
async function renderStatement(id) {
  const live = alive();
  disposeCharts();
  if (!state.period) return page(live, t('me'), h('p', { class: 'muted' }, t('norun')));
  let s;
  try {
    s = await api(`/people/${encodeURIComponent(id)}/statement?period=${state.period}`);
  } catch (e) {
    if (e.status === 404) return page(live, id, h('p', { class: 'muted' }, e.message));
    return page(live, id, errorBox(e));
  }
  const r = s.result, pay = r.pay, sc = r.score;
  const parts = pay ? table([t('base'), t('commission'), t('bonus'), t('deductions'), t('total')].map((l) => ({ label: l, num: true })),
    [h('tr', null, ['base', 'commission', 'bonus', 'deductions', 'total'].map((k) => h('td', { class: 'num', 'data-field': k }, money(pay[k]))))], { id: 'pay' }) : null;
  const score = sc ? table([{ label: t('kpi'), num: true }, { label: t('qualitative'), num: true }, { label: t('final'), num: true }, t('grade'), { label: t('rank'), num: true }, { label: t('rankUnit'), num: true }],
    [h('tr', null, num(sc.kpi), num(sc.qualitative), num(sc.final), h('td', { class: 'grade', id: 'grade' }, sc.grade), num(sc.rank), num(sc.rank_in_unit))], { id: 'score' }) : null;
  const trace = table(['#', t('item'), { label: t('value'), num: true }, t('detail'), t('source')],
    s.trace.map((x, i) => h('tr', null, num(i + 1), h('td', null, lang === 'zh' ? x.zh : x.en), num(x.value), h('td', null, x.detail), h('td', { class: 'muted' }, x.source))), { id: 'trace' });
  const base = `/api/people/${encodeURIComponent(id)}/statement?period=${state.period}`;
  const links = h('p', { class: 'actions' },
    h('a', { href: base + '&format=html', target: '_blank', rel: 'noopener', id: 'printable' }, t('printable')),
    h('a', { href: base + '&format=pdf', id: 'pdf' }, t('pdf')));
  let appeal = null;
  if (state.me.person_id === id && sc) {
    const reason = h('textarea', { id: 'appeal-reason', required: true });
    const msg = h('p');
    appeal = h('form', { class: 'stack', id: 'appeal-form', onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        await api('/appeals', { method: 'POST', body: { period: state.period, person: id, reason: reason.value } });
        msg.className = 'notice';
        msg.textContent = t('appealSent');
      } catch (e) {
        msg.className = 'error';
        msg.textContent = e.message;
      }
    } }, h('h2', null, t('appeal')), h('label', null, t('reason'), reason), h('button', { type: 'submit', class: 'primary', id: 'appeal-submit' }, t('appeal')), msg);
  }
  page(live, `${r.name || id} (${id}) · ${s.period}`,
    h('p', { class: 'muted' }, `${r.unit_id || ''} · run ${s.run}${r.flags && r.flags.length ? ' · ' + r.flags.join(', ') : ''}`),
    parts, score, links, h('h2', null, t('calc')), trace, appeal);
}

async function showMe() {
  const live = alive();
  if (!state.me.person_id) return page(live, t('me'), h('p', { class: 'muted' }, t('noPerson')));
  return renderStatement(state.me.person_id);
}

async function showStatement(id) {
  const live = alive();
  document.querySelectorAll('#nav a').forEach((a) => a.classList.remove('active'));
  await renderStatement(id);
}

async function showPeople() {
  const live = alive();
  const [p, u] = await Promise.all([api('/people'), api('/units')]);
  page(live, t('people'),
    table([t('id'), t('name'), t('unit'), t('role'), t('manager')],
      p.people.map((x) => h('tr', null, h('td', null, h('a', { href: '#/statement/' + encodeURIComponent(x.id) }, x.id)),
        h('td', null, x.name), h('td', null, x.unit_id), h('td', null, x.role), h('td', null, x.manager_id || ''))), { id: 'people' }),
    h('h2', null, t('units')),
    table([t('id'), t('parent')], u.units.map((x) => h('tr', null, h('td', null, x.id), h('td', null, x.parent_id || '')))));
}

const KINDS = ['units', 'people', 'customers', 'contracts', 'payments', 'returns', 'targets', 'attendance',
  'ratings', 'violations', 'complaints', 'events', 'costs', 'reports', 'contacts'];

async function showImport() {
  const live = alive();
  const kind = h('select', { id: 'import-kind' }, KINDS.map((k) => h('option', { value: k }, k)));
  const file = h('input', { type: 'file', id: 'import-file', accept: '.csv,.xlsx,text/csv', required: true });
  const out = h('div', { id: 'import-report' });
  const form = h('form', { class: 'row', id: 'import-form', onsubmit: async (ev) => {
    ev.preventDefault();
    if (!file.files.length) return;
    out.replaceChildren(h('p', { class: 'muted' }, t('loading')));
    try {
      const r = await api(`/import?kind=${kind.value}`, { method: 'POST', raw: file.files[0] });
      out.replaceChildren(h('p', { class: 'notice' }, `${t('imported')}: ${r.written} / ${r.rows} (${r.kind})`));
    } catch (e) {
      if (e.status === 422 && e.body && e.body.errors) {
        out.replaceChildren(h('p', { class: 'error' }, t('importErrors')),
          table([{ label: t('line'), num: true }, t('column'), t('message')],
            e.body.errors.map((x) => h('tr', null, num(x.line), h('td', null, x.column), h('td', null, x.message))), { id: 'import-errors' }),
          e.body.more_errors ? h('p', { class: 'muted' }, `+${e.body.more_errors}`) : null);
      } else out.replaceChildren(errorBox(e));
    }
  } }, h('label', null, t('kind'), ' ', kind), h('label', null, t('file'), ' ', file),
  h('button', { type: 'submit', class: 'primary' }, t('upload')));
  page(live, t('import'), form, out);
}

const PLANS = ['marketing-center', 'agent-sales', 'after-sales', 'sales-scorecard', 'manager-scorecard', 'sales-department'];

async function showRuns() {
  const live = alive();
  const per = state.period;
  const info = state.periods.find((p) => p.period === per);
  const out = h('div', { id: 'runs-msg' });
  const act = (label, fn, id) => h('button', { type: 'button', id, onclick: async () => {
    try { await fn(); out.replaceChildren(h('p', { class: 'notice' }, `${label}: ${t('done')}`)); await start(); } catch (e) { out.replaceChildren(errorBox(e)); }
  } }, label);
  const writer = has('hr', 'finance', 'admin');
  let controls = null;
  if (writer) {
    const periodIn = h('input', { id: 'run-period', value: per || '2025-12', size: 8 });
    const boxes = PLANS.map((p) => h('label', null, h('input', { type: 'checkbox', value: p, checked: true }), ' ', p));
    controls = h('div', null,
      h('form', { class: 'row', id: 'run-form', onsubmit: async (ev) => {
        ev.preventDefault();
        const plans = boxes.map((b) => b.firstChild).filter((c) => c.checked).map((c) => c.value);
        try {
          const r = await api('/run', { method: 'POST', body: { period: periodIn.value, plans } });
          state.period = r.period;
          out.replaceChildren(h('p', { class: 'notice' }, `${t('run')} ${r.run}: ${r.results}`));
          await start();
        } catch (e) { out.replaceChildren(errorBox(e)); }
      } }, h('label', null, t('period'), ' ', periodIn), boxes, h('button', { type: 'submit', class: 'primary', id: 'run-submit' }, t('run'))),
      per ? h('p', { class: 'actions' },
        has('hr') ? act(t('publish'), () => api('/publish', { method: 'POST', body: { period: per } }), 'publish') : null,
        has('finance') ? act(t('lock'), () => api('/lock', { method: 'POST', body: { period: per } }), 'lock') : null) : null);
  }
  const periods = table([t('period'), 'run', t('state')], state.periods.map((p) =>
    h('tr', null, h('td', null, p.period), h('td', null, p.run), h('td', null,
      h('span', { class: 'tag' + (p.locked ? ' bad' : '') }, p.locked ? t('locked') : t('open')), ' ',
      p.published ? h('span', { class: 'tag ok' }, t('published')) : ''))));
  if (!per) return page(live, t('runs'), controls, out, periods);
  const runs = (await api(`/runs?period=${per}`)).runs;
  const list = table(['run', t('created'), t('by'), { label: t('headcount'), num: true }, t('plans')],
    runs.map((r) => h('tr', null, h('td', null, r.id), h('td', null, r.created_at), h('td', null, r.created_by), num(r.people),
      h('td', { class: 'muted' }, r.plans.split(',').map((x) => x.split('@')[0]).join(', ')))), { id: 'runs' });
  const pick = (id, i) => h('select', { id }, runs.map((r, k) => h('option', { value: r.id, selected: k === i }, `${r.id} (${r.created_at})`)));
  const a = pick('compare-a', Math.min(1, runs.length - 1)), b = pick('compare-b', 0);
  const cmp = h('div', { id: 'compare' });
  const compare = async () => {
    const [ra, rb] = await Promise.all([api(`/results?period=${per}&run=${a.value}`), api(`/results?period=${per}&run=${b.value}`)]);
    const byId = new Map(rb.people.map((p) => [p.id, p]));
    const ids = [...new Set([...ra.people.map((p) => p.id), ...rb.people.map((p) => p.id)])].sort();
    const before = new Map(ra.people.map((p) => [p.id, p]));
    cmp.replaceChildren(table([t('id'), t('name'), { label: t('total') + ' A', num: true }, { label: t('total') + ' B', num: true }, { label: t('diff'), num: true }, t('grade') + ' A', t('grade') + ' B'],
      ids.map((id) => {
        const x = before.get(id), y = byId.get(id);
        const ta = x && x.pay ? Number(x.pay.total) : 0, tb = y && y.pay ? Number(y.pay.total) : 0;
        const d = Math.round((tb - ta) * 100) / 100;
        return h('tr', null, h('td', null, id), h('td', null, (x || y).name), num(x && x.pay ? money(x.pay.total) : ''), num(y && y.pay ? money(y.pay.total) : ''),
          h('td', { class: 'num ' + (d > 0 ? 'pos' : d < 0 ? 'neg' : '') }, d ? money(d) : '0.00'),
          h('td', null, x && x.score ? x.score.grade : ''), h('td', null, y && y.score ? y.score.grade : ''));
      }), { id: 'compare-table' }));
  };
  const exp = h('p', { class: 'actions' }, t('export') + ':',
    h('a', { href: `/api/results?period=${per}&format=csv`, id: 'export-csv' }, 'CSV'),
    h('a', { href: `/api/results?period=${per}&format=xlsx`, id: 'export-xlsx' }, 'Excel'));
  page(live, `${t('runs')} · ${per}${info && info.locked ? ' · ' + t('locked') : ''}`, controls, out, periods,
    h('h2', null, per), list, exp, h('h2', null, t('compare')),
    h('div', { class: 'row' }, 'A ', a, ' B ', b, h('button', { type: 'button', id: 'compare-go', onclick: () => compare().catch((e) => cmp.replaceChildren(errorBox(e))) }, t('compare'))), cmp);
}

async function showAppeals() {
  const live = alive();
  if (!state.period) return page(live, t('appeals'), h('p', { class: 'muted' }, t('norun')));
  const r = await api(`/appeals?period=${state.period}`);
  const out = h('div');
  const decide = (id, accept) => async () => {
    const reason = prompt(t('reason')) || '';
    const body = { accept, reason };
    if (accept) {
      const g = prompt(t('newGrade') + ' (S/A/B/C/D, ' + t('none') + ': empty)') || '';
      if (g) body.grade = g.toUpperCase();
    }
    try { await api(`/appeals/${id}/decide`, { method: 'POST', body }); await showAppeals(); } catch (e) { out.replaceChildren(errorBox(e)); }
  };
  page(live, `${t('appeals')} · ${r.period}`,
    h('p', { class: 'muted' }, `${t('state')}: ${r.state}${r.window_closes ? ' · ' + t('window') + ' ' + r.window_closes : ''}`), out,
    table(['#', t('person'), t('reason'), t('filed'), t('due'), t('status'), t('grade'), ''],
      r.appeals.map((a) => h('tr', { class: a.late ? 'late' : null }, num(a.id), h('td', null, a.person_id), h('td', null, a.reason), h('td', null, a.filed_at),
        h('td', null, a.due), h('td', null, a.status, a.late ? h('span', { class: 'tag bad' }, t('late')) : ''), h('td', null, a.grade || ''),
        h('td', null, a.status === 'open' && has('hr') ? h('span', { class: 'actions' },
          h('button', { type: 'button', onclick: decide(a.id, true) }, t('accept')),
          h('button', { type: 'button', onclick: decide(a.id, false) }, t('reject'))) : ''))), { id: 'appeals' }));
}

async function showComplaints() {
  const live = alive();
  if (!state.period) return page(live, t('complaints'), h('p', { class: 'muted' }, t('norun')));
  const r = await api(`/complaints?period=${state.period}`);
  const m = r.metrics;
  const timer = (x) => {
    if (x.breached) {
      const late = Math.max(x.response_late_minutes, x.resolution_late_minutes);
      return h('span', { class: 'tag bad' }, `${t('late')} ${clock(late)}`);
    }
    if (!x.resolved_at) return h('span', { class: 'tag' }, `${t('left')} ${clock(minutesBetween(r.as_of, x.resolution_due))}`);
    return h('span', { class: 'tag ok' }, t('met'));
  };
  page(live, `${t('complaints')} · ${r.period}`,
    h('div', { class: 'cards' }, [['m_complaints', m.complaints], ['m_breached', m.breached], ['m_response', m.response_1h_rate],
      ['m_resolution', m.resolution_24h_rate], ['m_recovery', m.recovery_rate], ['m_csat', m.csat]].map(([k, v]) =>
      h('div', { class: 'card' }, h('div', { class: 'muted' }, t(k)), h('div', { class: 'big' }, v === null ? '—' : v)))),
    h('p', { class: 'muted' }, `${t('asOf')} ${r.as_of}`),
    table([t('id'), t('severity'), t('status'), t('opened'), t('responseDue'), t('resolutionDue'), t('timer'), t('owner'), t('escalate')],
      r.tickets.map((x) => h('tr', { class: x.breached ? 'late' : null }, h('td', null, x.id), h('td', null, x.severity), h('td', null, x.status),
        h('td', null, x.opened_at), h('td', null, x.response_due), h('td', null, x.resolution_due), h('td', null, timer(x)),
        h('td', null, x.person_id || ''), h('td', null, x.escalate_to || ''))), { id: 'tickets' }));
}

async function showCustomers() {
  const live = alive();
  const only = sessionStorage.getItem('jx-overdue') === '1';
  const r = await api('/customers' + (only ? '?overdue=1' : ''));
  const box = h('input', { type: 'checkbox', id: 'only-overdue', checked: only, onchange: (ev) => {
    sessionStorage.setItem('jx-overdue', ev.target.checked ? '1' : '0');
    showCustomers().catch((e) => page(live, t('customers'), errorBox(e)));
  } });
  page(live, t('customers'), h('p', { class: 'row' }, h('label', null, box, ' ', t('onlyOverdue')), h('span', { class: 'muted' }, `${t('asOf')} ${r.as_of}`)),
    table([t('id'), t('name'), t('klass'), t('tier'), t('owner'), { label: t('cadence'), num: true }, t('lastContact'), t('nextDue'), t('status')],
      r.customers.map((c) => h('tr', { class: c.overdue_minutes > 0 || !c.last_contact ? 'late' : null }, h('td', null, c.id), h('td', null, c.name),
        h('td', null, c.class), h('td', null, c.tier), h('td', null, c.owner_id || ''), num(c.cadence_days), h('td', null, c.last_contact || '—'),
        h('td', null, c.next_due || ''), h('td', null, c.status))), { id: 'customers' }));
}

async function showUsers() {
  const live = alive();
  const r = await api('/users');
  const f = { name: h('input', { id: 'user-name', required: true }), role: h('select', { id: 'user-role' }, ['rep', 'engineer', 'manager', 'director', 'hr', 'finance', 'admin'].map((x) => h('option', null, x))),
    person: h('input', { id: 'user-person' }), password: h('input', { id: 'user-password', type: 'password', required: true, minlength: 8 }) };
  const msg = h('div');
  page(live, t('users'),
    table([t('user'), t('role'), t('person'), t('status')], r.users.map((u) => h('tr', null, h('td', null, u.name), h('td', null, u.role), h('td', null, u.person_id || ''), h('td', null, u.disabled ? 'disabled' : ''))), { id: 'users' }),
    h('h2', null, t('add')),
    h('form', { class: 'row', onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        await api('/users', { method: 'POST', body: { name: f.name.value, role: f.role.value, person_id: f.person.value || undefined, password: f.password.value } });
        await showUsers();
      } catch (e) { msg.replaceChildren(errorBox(e)); }
    } }, f.name, f.role, f.person, f.password, h('button', { type: 'submit', class: 'primary' }, t('add'))), msg);
}

async function showAudit() {
  const live = alive();
  const r = await api('/audit');
  page(live, t('audit'), table(['#', t('at'), t('who'), t('action'), t('what'), t('before'), t('after')],
    r.audit.map((a) => h('tr', null, num(a.seq), h('td', null, a.at), h('td', null, a.who), h('td', null, a.action), h('td', null, a.what || ''),
      h('td', { class: 'muted' }, a.before || ''), h('td', { class: 'muted' }, a.after || ''))), { id: 'audit' }));
}

// ---- wiring ------------------------------------------------------------------------------

document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('jx-lang', lang);
  relabel();
  if (state.me) route(); else showLogin();
});
document.getElementById('logout').addEventListener('click', async () => {
  try { await api('/logout', { method: 'POST' }); } catch { /* the session is gone either way */ }
  state.me = null;
  state.csrf = '';
  sessionStorage.removeItem('jx-csrf');
  location.hash = '#/login';
  showLogin();
});
document.getElementById('menu').addEventListener('click', (ev) => {
  const open = document.getElementById('nav').classList.toggle('open');
  ev.currentTarget.setAttribute('aria-expanded', String(open));
});
document.getElementById('period').addEventListener('change', (ev) => {
  state.period = ev.target.value;
  route();
});
window.addEventListener('hashchange', route);

relabel();
api('/me').then((me) => { state.me = me; return start(); }).catch(() => showLogin());
