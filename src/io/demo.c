/*
 * demo.c - the demo company (demo.h): a generator that writes the CSV text of
 * every import kind from its own seeded random numbers, feeds each through
 * the validated importer, and a per-unit summary of the year.
 *
 * Everything random comes from one splitmix64 stream, drawn in a fixed order,
 * so a seed always gives the same bytes.  Money is fen (int64_t) throughout;
 * percentages are whole numbers applied with integer arithmetic.
 */
#include "io/demo.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/money.h"

#define YUAN(y) ((int64_t)(y)*100)
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define NONE (-1)
#define MAX_CUSTOMERS 512
#define MAX_LINES 3
#define MAX_PAYMENTS 5
#define MAX_DEPTH 16
#define LAST_MINUTE 1439

/* ---- the company: units and people (ids are fixed: plans select by them) ---- */

struct unit_def {
    const char *id, *name, *parent, *kind;
};

/* clang-format off */
static const struct unit_def demo_units[] = {
    {"HQ", "某某科技有限公司", NULL, "company"},
    {"MKT", "营销拓展中心", "HQ", "center"},
    {"MKT-P", "产品事业部", "MKT", "division"},
    {"MKT-P1", "产品业务一组", "MKT-P", "team"},
    {"MKT-P2", "产品业务二组", "MKT-P", "team"},
    {"MKT-E", "工程事业部", "MKT", "division"},
    {"MKT-E1", "工程业务组", "MKT-E", "team"},
    {"AS", "售后维护及保养中心", "HQ", "center"},
    {"AS-INST", "安装工程组", "AS", "team"},
    {"AS-MAINT", "维护保养工程组", "AS", "team"},
    {"SALES", "销售部", "HQ", "department"},
};
/* clang-format on */

/* What a person does in the demo, derived from role and unit. */
enum group {
    G_STAFF,
    G_DIRECTOR,
    G_MKT_MANAGER,
    G_MKT_REP,
    G_AS_MANAGER,
    G_ENGINEER,
    G_SALES_MANAGER,
    G_SALES_REP
};

struct person_def {
    const char *id, *name, *unit, *role, *manager, *hire, *status;
    int64_t base, allowance; /* fen; allowance < 0: none */
    int left_month;          /* status left: the last month worked in the year, else 0 */
    int first_deal;          /* a new rep's first month with a contract (13: none), else 0 */
};

static const struct person_def demo_people[] = {
    {"P001", "周敏", "HQ", "hr", NULL, "2019-03-04", "regular", YUAN(6500), -1, 0, 0},
    {"P002", "林静", "HQ", "finance", NULL, "2018-07-02", "regular", YUAN(7500), -1, 0, 0},
    {"P010", "郑国强", "MKT", "director", NULL, "2016-05-09", "regular", YUAN(15000), YUAN(3000), 0,
     0},
    {"P100", "陈建华", "MKT-P1", "manager", "P010", "2018-02-26", "regular", YUAN(8000), YUAN(1500),
     0, 0},
    {"P101", "张伟", "MKT-P1", "rep", "P100", "2023-03-06", "regular", YUAN(5000), -1, 0, 0},
    {"P102", "王芳", "MKT-P1", "rep", "P100", "2021-08-16", "regular", YUAN(5500), -1, 0, 0},
    {"P103", "李娜", "MKT-P1", "rep", "P100", "2022-04-11", "regular", YUAN(5000), -1, 0, 0},
    {"P104", "刘洋", "MKT-P1", "rep", "P100", "2025-10-09", "probation", YUAN(4500), -1, 0, 11},
    {"P110", "杨帆", "MKT-P2", "manager", "P010", "2019-06-03", "regular", YUAN(8000), YUAN(1500),
     0, 0},
    {"P111", "赵磊", "MKT-P2", "rep", "P110", "2020-09-07", "regular", YUAN(5500), -1, 0, 0},
    {"P112", "黄丽", "MKT-P2", "rep", "P110", "2022-11-14", "regular", YUAN(5000), -1, 0, 0},
    {"P113", "吴刚", "MKT-P2", "rep", "P110", "2024-02-19", "regular", YUAN(4800), -1, 0, 0},
    {"P120", "徐明", "MKT-E1", "manager", "P010", "2017-10-09", "regular", YUAN(8500), YUAN(1500),
     0, 0},
    {"P121", "孙婷", "MKT-E1", "rep", "P120", "2021-03-01", "regular", YUAN(5500), -1, 0, 0},
    {"P122", "马超", "MKT-E1", "rep", "P120", "2022-07-18", "regular", YUAN(5200), -1, 0, 0},
    {"P123", "朱慧", "MKT-E1", "rep", "P120", "2023-05-08", "left", YUAN(5000), -1, 6, 0},
    {"P124", "胡杰", "MKT-E1", "rep", "P120", "2025-11-03", "probation", YUAN(4500), -1, 0, 13},
    {"P020", "曹振华", "AS", "director", NULL, "2015-08-03", "regular", YUAN(14000), YUAN(2500), 0,
     0},
    {"P200", "郭志强", "AS-INST", "manager", "P020", "2017-04-10", "regular", YUAN(8500),
     YUAN(1200), 0, 0},
    {"P201", "何勇", "AS-INST", "engineer", "P200", "2019-08-12", "regular", YUAN(6500), -1, 0, 0},
    {"P202", "高鹏", "AS-INST", "engineer", "P200", "2021-05-17", "regular", YUAN(6000), -1, 0, 0},
    {"P203", "罗斌", "AS-INST", "engineer", "P200", "2023-09-04", "regular", YUAN(5800), -1, 0, 0},
    {"P210", "梁文", "AS-MAINT", "manager", "P020", "2018-11-05", "regular", YUAN(8500), YUAN(1200),
     0, 0},
    {"P211", "宋涛", "AS-MAINT", "engineer", "P210", "2020-03-09", "regular", YUAN(6200), -1, 0, 0},
    {"P212", "谢军", "AS-MAINT", "engineer", "P210", "2022-06-13", "regular", YUAN(6000), -1, 0, 0},
    {"P213", "韩雪", "AS-MAINT", "engineer", "P210", "2024-04-08", "regular", YUAN(5800), -1, 0, 0},
    {"P300", "唐亮", "SALES", "manager", NULL, "2018-09-03", "regular", YUAN(7000), YUAN(1000), 0,
     0},
    {"P301", "冯雷", "SALES", "rep", "P300", "2020-04-13", "regular", YUAN(4000), -1, 0, 0},
    {"P302", "于洁", "SALES", "rep", "P300", "2021-10-11", "regular", YUAN(4000), -1, 0, 0},
    {"P303", "董浩", "SALES", "rep", "P300", "2022-03-07", "regular", YUAN(4000), -1, 0, 0},
    {"P304", "萧然", "SALES", "rep", "P300", "2023-07-10", "regular", YUAN(4000), -1, 0, 0},
    {"P305", "程琳", "SALES", "rep", "P300", "2024-08-19", "regular", YUAN(4000), -1, 0, 0},
};

#define NPEOPLE NELEM(demo_people)

/* ---- customers, products ---- */

enum { CK_CUSTOMER, CK_AGENT, CK_DISTRIBUTOR };
static const char *const ckinds[] = {"customer", "agent", "distributor"};
static const char *const classes[] = {"A", "B", "C"};
static const char *const tiers[] = {"high_potential", "stable", "watching"};

/* Names of end customers: place x trade (20 x 13, coprime: unique up to 260). */
static const char *const places[] = {"华东", "江南", "北辰", "中原", "西岭", "海川", "东方",
                                     "金桥", "鼎盛", "恒信", "远航", "长风", "新元", "宏达",
                                     "天成", "万通", "瑞丰", "嘉禾", "永安", "盛华"};
static const char *const trades[] = {"机电", "电力", "冶金", "化工", "制药", "食品", "纺织",
                                     "建材", "物流", "环保", "热力", "水务", "精工"};
/* Names of agents and distributors: city x word (27 x 7, unique up to 189). */
static const char *const cities[] = {"苏州", "无锡", "常州", "南通", "扬州", "徐州", "合肥",
                                     "芜湖", "济南", "青岛", "烟台", "潍坊", "郑州", "洛阳",
                                     "武汉", "宜昌", "长沙", "株洲", "南昌", "赣州", "杭州",
                                     "宁波", "温州", "绍兴", "福州", "厦门", "泉州"};
static const char *const words[] = {"恒通", "安达", "利民", "华信", "顺达", "众诚", "博远"};

struct customer {
    char id[16];
    char name[96];
    int kind, cls, tier; /* indexes into ckinds, classes, tiers */
    int owner;           /* person index */
    int32_t signed_date; /* agents and distributors; JX_NO_DATE for none */
};

struct product {
    const char *name;
    int64_t base; /* company base price (基准价), fen */
    int qmin, qmax;
};

static const struct product products_p[] = {
    {"节能控制柜", YUAN(18000), 2, 12}, {"变频调速柜", YUAN(26500), 1, 6},
    {"智能配电柜", YUAN(12800), 2, 15}, {"无功补偿装置", YUAN(9600), 2, 10},
    {"软启动器", YUAN(4200), 4, 24},    {"电能质量监测仪", YUAN(3500), 2, 10},
};
static const struct product service_p = {"安装调试服务", YUAN(5000), 1, 3};
static const struct product products_e[] = {
    {"配电房改造工程", YUAN(280000), 1, 1},
    {"节能改造工程", YUAN(180000), 1, 1},
    {"自动化控制系统集成", YUAN(120000), 1, 1},
    {"照明系统改造工程", YUAN(45000), 1, 3},
};
static const struct product cable_e = {"电缆敷设（米）", 6800, 300, 2000};
static const struct product products_s[] = {
    {"智能电表", YUAN(850), 5, 20},
    {"节能照明灯具", YUAN(320), 10, 50},
    {"小型变频器", YUAN(2600), 1, 5},
    {"家用配电箱", YUAN(1800), 2, 8},
};
static const struct product m1_product = {"节能控制柜", YUAN(18000), 10, 10};

/* Monthly business, percent of an ordinary month (春节 in February, year-end rush). */
static const int season[12] = {80, 50, 100, 100, 110, 100, 90, 100, 110, 95, 120, 140};

/* ---- contracts ---- */

enum { PAY_PAYMENT, PAY_DEPOSIT, PAY_REFUND };
static const char *const pay_kinds[] = {"payment", "deposit", "refund"};

struct line {
    const struct product *pr;
    int64_t qty, price, cost; /* price and cost in fen */
};

struct payment {
    int32_t date;
    int64_t amount;
    int kind;
};

struct contract {
    char id[48];
    int32_t date, acceptance; /* acceptance JX_NO_DATE when none */
    int customer, person;
    int partner, share;    /* credit split: partner NONE for none; share of person, % */
    int retention, excess; /* percent; 0: none */
    bool concession, negotiated, credit;
    struct line lines[MAX_LINES];
    int nlines;
    int64_t revenue;
    struct payment pay[MAX_PAYMENTS];
    int npay;
    int32_t return_date;
    int64_t returned;
};

/* A growing CSV text of one kind. */
struct out {
    char *p;
    size_t len, cap;
    long rows;
    bool oom;
};

struct gen {
    uint64_t rng;
    struct jx_calendar cal;
    struct jx_err *err;
    enum jx_status fail; /* first calendar failure */
    struct out out[JX_KIND_COUNT];
    enum group grp[NPEOPLE];
    int32_t hire[NPEOPLE];
    int quality[NPEOPLE]; /* 40-95: how well a person works, drives scores */
    int target[NPEOPLE];  /* monthly sales target of a rep, yuan */
    struct customer cust[MAX_CUSTOMERS];
    size_t ncust, nend, nagents;
    long ncontracts, npayments, nreturns, ncomplaints, ncosts;
    int32_t first, last; /* the demo year */
};

/* ---- random numbers: splitmix64 ---- */

/* The next 64 random bits. */
static uint64_t next64(struct gen *g)
{
    uint64_t z = (g->rng += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* A number in lo..hi, both included (the modulo bias is far below notice). */
static int between(struct gen *g, int lo, int hi)
{
    return lo + (int)(next64(g) % (uint64_t)(hi - lo + 1));
}

/* True with a probability of pct percent. */
static bool chance(struct gen *g, int pct)
{
    return between(g, 0, 99) < pct;
}

/* Index into a table of weights (percent, summing to 100). */
static int weighted(struct gen *g, const int *w, int n)
{
    int r = between(g, 0, 99);
    for (int i = 0; i < n; i++) {
        if (r < w[i])
            return i;
        r -= w[i];
    }
    return n - 1;
}

/* ---- CSV text ---- */

/* printf onto the end of o; on failure o->oom is set and later calls do nothing. */
__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    while (!o->oom) {
        size_t room = o->cap - o->len;
        va_start(ap, fmt);
        int n = vsnprintf(o->p ? o->p + o->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            o->oom = true;
            return;
        }
        if ((size_t)n < room) {
            o->len += (size_t)n;
            return;
        }
        size_t cap = o->cap ? o->cap * 2 : 65536;
        while (cap < o->len + (size_t)n + 1)
            cap *= 2;
        char *p = jx_realloc(o->p, cap);
        if (!p) {
            o->oom = true;
            return;
        }
        o->p = p;
        o->cap = cap;
    }
}

/* A text field, quoted (RFC 4180) when it holds a comma, a quote or a line end. */
static void put_text(struct out *o, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        put(o, "%s", s);
        return;
    }
    put(o, "\"");
    for (const char *q; (q = strchr(s, '"')); s = q + 1)
        put(o, "%.*s\"\"", (int)(q - s), s);
    put(o, "%s\"", s);
}

/* End a data row. */
static void end_row(struct out *o)
{
    put(o, "\n");
    o->rows++;
}

/* Money as "12345.00" (buf of JX_MONEY_BUFSZ). */
static const char *yuan(int64_t fen, char *buf)
{
    return jx_money_format(fen, buf);
}

/* A date as "2025-08-05" (buf of JX_DATE_BUFSZ); "" for JX_NO_DATE. */
static const char *day(int32_t d, char *buf)
{
    if (d == JX_NO_DATE) {
        buf[0] = '\0';
        return buf;
    }
    return jx_date_format(d, buf);
}

/* A time as "2025-08-05 09:30" (buf of JX_TIME_BUFSZ); "" for a negative time. */
static const char *at(int64_t t, char *buf)
{
    if (t < 0) {
        buf[0] = '\0';
        return buf;
    }
    return jx_time_format(t, buf);
}

/* ---- dates ---- */

static int32_t month_first(int m)
{
    return jx_date_from_ymd(JX_DEMO_YEAR, m, 1);
}

static int32_t month_last(int m)
{
    return m == 12 ? jx_date_from_ymd(JX_DEMO_YEAR, 12, 31) : month_first(m + 1) - 1;
}

/* Whether d is a working day; a calendar failure is kept in g->fail. */
static bool workday(struct gen *g, int32_t d)
{
    bool w = false;
    if (g->fail)
        return false;
    enum jx_status s = jx_calendar_is_workday(&g->cal, d, &w, g->err);
    if (s)
        g->fail = s;
    return w;
}

/* d, or the first working day after it. */
static int32_t on_workday(struct gen *g, int32_t d)
{
    for (int i = 0; i < 31 && !workday(g, d); i++)
        d++;
    return d;
}

/* A random working day of month m not before not_before, or JX_NO_DATE. */
static int32_t pick_day(struct gen *g, int m, int32_t not_before)
{
    int32_t days[31];
    int n = 0;
    for (int32_t d = month_first(m); d <= month_last(m); d++)
        if (d >= not_before && workday(g, d))
            days[n++] = d;
    return n ? days[between(g, 0, n - 1)] : JX_NO_DATE;
}

/* The last working day of month m. */
static int32_t last_workday(struct gen *g, int m)
{
    int32_t d = month_last(m);
    while (d > month_first(m) && !workday(g, d))
        d--;
    return d;
}

/* Whether person p works in month m (hired by its end, not yet left). */
static bool active(const struct gen *g, size_t p, int m)
{
    return g->hire[p] <= month_last(m) &&
           (!demo_people[p].left_month || m <= demo_people[p].left_month);
}

/* Whether p was hired on or before d and had not left by then. */
static bool active_on(const struct gen *g, size_t p, int32_t d)
{
    int y, m, dd;
    jx_date_to_ymd(d, &y, &m, &dd);
    return g->hire[p] <= d && (!demo_people[p].left_month || m <= demo_people[p].left_month);
}

/*
 * A random peer of p working in month m, or NONE: another member of p's unit
 * in the same group; for a manager, another manager of the same center.
 */
static int teammate(struct gen *g, size_t p, int m)
{
    bool manager = g->grp[p] == G_MKT_MANAGER || g->grp[p] == G_AS_MANAGER;
    int cand[NPEOPLE], n = 0;
    for (size_t q = 0; q < NPEOPLE; q++)
        if (q != p && g->grp[q] == g->grp[p] && active(g, q, m) &&
            (manager || !strcmp(demo_people[q].unit, demo_people[p].unit)))
            cand[n++] = (int)q;
    return n ? cand[between(g, 0, n - 1)] : NONE;
}

/* Index of the person with this id (the table is fixed; the id must exist). */
static int person_index(const char *id)
{
    for (size_t p = 0; p < NPEOPLE; p++)
        if (!strcmp(demo_people[p].id, id))
            return (int)p;
    return NONE;
}

/* Percentage pct of amount, rounded to the yuan (amount >= 0). */
static int64_t part(int64_t amount, int pct)
{
    return (amount * pct + 5000) / 10000 * 100;
}

/* base x pct%, rounded to the yuan (to 0.10 yuan below 1000.00). */
static int64_t priced(int64_t base, int pct)
{
    if (base >= YUAN(1000))
        return (base * pct + 5000) / 10000 * 100;
    return (base * pct + 500) / 1000 * 10;
}

/* ---- units, people, customers ---- */

/* units.csv */
static void gen_units(struct gen *g)
{
    struct out *o = &g->out[JX_KIND_UNITS];
    put(o, "id,name,parent_id,kind\n");
    for (size_t i = 0; i < NELEM(demo_units); i++) {
        const struct unit_def *u = &demo_units[i];
        put(o, "%s,", u->id);
        put_text(o, u->name);
        put(o, ",%s,%s", u->parent ? u->parent : "", u->kind);
        end_row(o);
    }
}

/* The group of a person, from role and unit. */
static enum group group_of(const struct person_def *p)
{
    bool mkt = !strncmp(p->unit, "MKT", 3), sales = !strcmp(p->unit, "SALES");
    if (!strcmp(p->role, "director"))
        return G_DIRECTOR;
    if (!strcmp(p->role, "engineer"))
        return G_ENGINEER;
    if (!strcmp(p->role, "manager"))
        return mkt ? G_MKT_MANAGER : sales ? G_SALES_MANAGER : G_AS_MANAGER;
    if (!strcmp(p->role, "rep"))
        return mkt ? G_MKT_REP : G_SALES_REP;
    return G_STAFF;
}

/* people.csv, and each person's hire date, group, quality and target. */
static enum jx_status gen_people(struct gen *g)
{
    static const int targets[] = {150000, 180000, 200000, 220000, 250000};
    struct out *o = &g->out[JX_KIND_PEOPLE];
    char b1[JX_MONEY_BUFSZ], b2[JX_MONEY_BUFSZ];
    put(o, "id,name,unit_id,role,manager_id,hire_date,status,base_salary,allowance\n");
    for (size_t p = 0; p < NPEOPLE; p++) {
        const struct person_def *d = &demo_people[p];
        enum jx_status s = jx_date_parse(d->hire, strlen(d->hire), &g->hire[p], g->err);
        if (s)
            return s;
        g->grp[p] = group_of(d);
        g->quality[p] = between(g, 40, 95);
        g->target[p] = targets[between(g, 0, (int)NELEM(targets) - 1)];
        if (g->grp[p] == G_MKT_REP && !strncmp(d->unit, "MKT-E", 5) && g->target[p] < 200000)
            g->target[p] = 200000;
        if (d->first_deal)
            g->target[p] = 100000;
        put(o, "%s,", d->id);
        put_text(o, d->name);
        put(o, ",%s,%s,%s,%s,%s,%s,%s", d->unit, d->role, d->manager ? d->manager : "", d->hire,
            d->status, yuan(d->base, b1), d->allowance >= 0 ? yuan(d->allowance, b2) : "");
        end_row(o);
    }
    /* Example M1 of domain.md: P101 scores 9.0 in August, so a good worker. */
    int p101 = person_index("P101");
    if (p101 != NONE) {
        g->quality[p101] = 85;
        g->target[p101] = 200000;
    }
    return JX_OK;
}

/* Add a customer of kind owned by person owner; its index, or NONE when full. */
static int add_customer(struct gen *g, int kind, int owner, int32_t signed_date)
{
    static const int end_class[] = {20, 45, 35}, agent_class[] = {10, 45, 45};
    static const int tier_w[] = {25, 50, 25};
    if (g->ncust >= MAX_CUSTOMERS)
        return NONE;
    struct customer *c = &g->cust[g->ncust];
    c->kind = kind;
    c->owner = owner;
    c->signed_date = signed_date;
    c->cls = weighted(g, kind == CK_CUSTOMER ? end_class : agent_class, 3);
    c->tier = weighted(g, tier_w, 3);
    if (kind == CK_CUSTOMER) {
        size_t n = g->nend++;
        snprintf(c->id, sizeof c->id, "C%03zu", n + 1);
        snprintf(c->name, sizeof c->name, "%s%s有限公司", places[n % NELEM(places)],
                 trades[n % NELEM(trades)]);
    } else {
        size_t n = g->nagents++;
        snprintf(c->id, sizeof c->id, "A%03zu", n + 1);
        snprintf(c->name, sizeof c->name, "%s%s%s", cities[n % NELEM(cities)],
                 words[n % NELEM(words)], kind == CK_AGENT ? "电气贸易有限公司" : "电器经销部");
    }
    return (int)g->ncust++;
}

/*
 * customers.csv: five end customers for each marketing rep (three for a new
 * one); for each SALES rep three agents signed before the year, then about
 * three agents or distributors signed in most months.
 */
static enum jx_status gen_customers(struct gen *g)
{
    static const int per_month[] = {10, 15, 25, 35, 15}; /* 0..4 agents signed */
    for (size_t p = 0; p < NPEOPLE; p++) {
        if (g->grp[p] != G_MKT_REP)
            continue;
        int n = g->hire[p] >= g->first ? 3 : 5;
        for (int i = 0; i < n; i++)
            if (add_customer(g, chance(g, 10) ? CK_DISTRIBUTOR : CK_CUSTOMER, (int)p, JX_NO_DATE) ==
                NONE)
                goto full;
    }
    for (size_t p = 0; p < NPEOPLE; p++) {
        if (g->grp[p] != G_SALES_REP)
            continue;
        for (int i = 0; i < 3; i++) {
            int32_t d =
                jx_date_from_ymd(JX_DEMO_YEAR - 1 - (i == 0), between(g, 1, 12), between(g, 1, 28));
            if (d < g->hire[p])
                d = g->hire[p] + between(g, 10, 60);
            if (add_customer(g, CK_AGENT, (int)p, d) == NONE)
                goto full;
        }
    }
    for (int m = 1; m <= 12; m++)
        for (size_t p = 0; p < NPEOPLE; p++) {
            if (g->grp[p] != G_SALES_REP || !active(g, p, m))
                continue;
            int k = weighted(g, per_month, (int)NELEM(per_month));
            for (int i = 0; i < k; i++) {
                int32_t d = pick_day(g, m, g->hire[p]);
                if (d != JX_NO_DATE &&
                    add_customer(g, chance(g, 75) ? CK_AGENT : CK_DISTRIBUTOR, (int)p, d) == NONE)
                    goto full;
            }
        }

    struct out *o = &g->out[JX_KIND_CUSTOMERS];
    char b[JX_DATE_BUFSZ];
    put(o, "id,name,kind,class,tier,owner_id,signed_date\n");
    for (size_t i = 0; i < g->ncust; i++) {
        const struct customer *c = &g->cust[i];
        put(o, "%s,", c->id);
        put_text(o, c->name);
        put(o, ",%s,%s,%s,%s,%s", ckinds[c->kind], classes[c->cls], tiers[c->tier],
            demo_people[c->owner].id, day(c->signed_date, b));
        end_row(o);
    }
    return JX_OK;
full:
    return jx_err_set(g->err, JX_EINTERNAL, "demo: more than %d customers", MAX_CUSTOMERS);
}

/* A random customer of person p (agents: signed by date by), or NONE. */
static int pick_customer(struct gen *g, int p, int32_t by)
{
    int n = 0;
    for (size_t i = 0; i < g->ncust; i++)
        if (g->cust[i].owner == p &&
            (g->cust[i].signed_date == JX_NO_DATE || g->cust[i].signed_date <= by))
            n++;
    if (!n)
        return NONE;
    int k = between(g, 0, n - 1);
    for (size_t i = 0; i < g->ncust; i++)
        if (g->cust[i].owner == p &&
            (g->cust[i].signed_date == JX_NO_DATE || g->cust[i].signed_date <= by) && k-- == 0)
            return (int)i;
    return NONE;
}

/*
 * A random customer signed by day d whose owner works on d, or NONE; with
 * end_only, only end customers and distributors of the marketing center.
 */
static int pick_any_customer(struct gen *g, int32_t d, bool end_only)
{
    for (int tries = 0; tries < 50; tries++) {
        int i = between(g, 0, (int)g->ncust - 1);
        const struct customer *c = &g->cust[i];
        if ((end_only && c->kind == CK_AGENT) || !active_on(g, (size_t)c->owner, d) ||
            (c->signed_date != JX_NO_DATE && c->signed_date > d))
            continue;
        if (end_only && g->grp[c->owner] != G_MKT_REP)
            continue;
        return i;
    }
    return NONE;
}

/* ---- contracts, payments, returns ---- */

/* Start contract c of person p with customer cu, signed on date. */
static void start_contract(struct gen *g, struct contract *c, size_t p, int32_t date, int cu)
{
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "HT%d-%04ld", JX_DEMO_YEAR, ++g->ncontracts);
    c->date = date;
    c->acceptance = JX_NO_DATE;
    c->return_date = JX_NO_DATE;
    c->customer = cu;
    c->person = (int)p;
    c->partner = NONE;
}

/* Add a line of product pr at pct percent of its base price. */
static void add_line(struct gen *g, struct contract *c, const struct product *pr, int pct)
{
    if (c->nlines >= MAX_LINES)
        return;
    struct line *l = &c->lines[c->nlines++];
    l->pr = pr;
    l->qty = between(g, pr->qmin, pr->qmax);
    l->price = priced(pr->base, pct);
    l->cost = priced(pr->base, between(g, 58, 72));
    c->revenue += l->qty * l->price;
}

/*
 * The negotiated price level of a contract, percent of the base price: below
 * it with a probability of below percent, at it for about half, else above
 * it by up to 10% (narrow) or 20%.
 */
static int price_pct(struct gen *g, int below, bool narrow)
{
    static const int above[] = {102, 103, 105, 106, 108, 110, 112, 115, 118, 120};
    int r = between(g, 0, 99);
    if (r < below)
        return chance(g, 50) ? 95 : 97;
    if (r < 50)
        return 100;
    return above[between(g, 0, narrow ? 5 : (int)NELEM(above) - 1)];
}

/* Schedule a collection on c unless it falls after the year. */
static void plan_pay(struct gen *g, struct contract *c, int32_t date, int64_t amount, int kind)
{
    if (date > g->last || amount <= 0 || c->npay >= MAX_PAYMENTS)
        return;
    date = on_workday(g, date);
    if (date > g->last)
        return;
    c->pay[c->npay++] = (struct payment){date, amount, kind};
}

/* Sometimes part of the goods come back: a return dated after signing. */
static void plan_return(struct gen *g, struct contract *c, int pct)
{
    if (!chance(g, pct))
        return;
    const struct line *l = &c->lines[0];
    int64_t k = l->qty > 4 ? between(g, 1, (int)(l->qty / 4)) : 1;
    int32_t d = c->date + between(g, 15, 60);
    if (d > g->last || k * l->price * 2 > c->revenue)
        return;
    d = on_workday(g, d);
    if (d > g->last)
        return;
    c->return_date = d;
    c->returned = k * l->price;
}

/* Now and then a collected contract gets part of its money back (price adjustment). */
static void plan_refund(struct gen *g, struct contract *c)
{
    int64_t collected = 0;
    int32_t latest = c->date;
    for (int i = 0; i < c->npay; i++) {
        collected += c->pay[i].amount;
        if (c->pay[i].date > latest)
            latest = c->pay[i].date;
    }
    if (collected > 0 && chance(g, 3))
        plan_pay(g, c, latest + between(g, 5, 20), part(collected, between(g, 3, 8)), PAY_REFUND);
}

/*
 * Collections of a marketing contract: a deposit (订金) with acceptance (验收)
 * and a payment after it, or two instalments, or one payment, or only a part
 * so far.  Retention (质保金) is held beyond the year.
 */
static void mkt_collections(struct gen *g, struct contract *c, bool eng)
{
    int64_t net = c->revenue - c->returned;
    int64_t held = c->retention ? part(net, c->retention) : 0;
    int r = between(g, 0, 99), deposit = eng ? 60 : 30;
    if (r < deposit) {
        int64_t dep = part(net, 30), mid = part(net, 60);
        plan_pay(g, c, c->date + between(g, 2, 7), dep, PAY_DEPOSIT);
        int32_t acc = c->date + between(g, 20, 75);
        if (acc > g->last || (acc = on_workday(g, acc)) > g->last)
            return; /* not accepted yet: the deposit does not count */
        c->acceptance = acc;
        plan_pay(g, c, acc + between(g, 5, 30), mid, PAY_PAYMENT);
        plan_pay(g, c, acc + between(g, 35, 60), net - dep - mid - held, PAY_PAYMENT);
    } else if (r < deposit + 35) {
        int64_t half = part(net, 50);
        plan_pay(g, c, c->date + between(g, 10, 40), half, PAY_PAYMENT);
        plan_pay(g, c, c->date + between(g, 45, 100), net - half - held, PAY_PAYMENT);
    } else if (r < 95) {
        plan_pay(g, c, c->date + between(g, 10, 60), net - held, PAY_PAYMENT);
    } else {
        plan_pay(g, c, c->date + between(g, 20, 40), part(net, 30), PAY_PAYMENT);
    }
    plan_refund(g, c);
}

/* Collections of a SALES contract: paid in full soon (不欠账), or on credit. */
static void sales_collections(struct gen *g, struct contract *c)
{
    int64_t net = c->revenue - c->returned;
    if (c->credit) {
        plan_pay(g, c, c->date + between(g, 45, 90), net, PAY_PAYMENT);
    } else if (chance(g, 80)) {
        plan_pay(g, c, c->date + between(g, 0, 20), net, PAY_PAYMENT);
    } else {
        int64_t half = part(net, 50);
        plan_pay(g, c, c->date + between(g, 0, 10), half, PAY_PAYMENT);
        plan_pay(g, c, c->date + between(g, 20, 50), net - half, PAY_PAYMENT);
    }
    plan_refund(g, c);
}

/* Write contract c (one row per line), its payments and its return. */
static void emit_contract(struct gen *g, const struct contract *c)
{
    struct out *o = &g->out[JX_KIND_CONTRACTS];
    char d1[JX_DATE_BUFSZ], d2[JX_DATE_BUFSZ], m1[JX_MONEY_BUFSZ], m2[JX_MONEY_BUFSZ],
        m3[JX_MONEY_BUFSZ];
    for (int i = 0; i < c->nlines; i++) {
        const struct line *l = &c->lines[i];
        put(o, "%s,%s,%s,%s,", c->id, day(c->date, d1), g->cust[c->customer].id,
            demo_people[c->person].id);
        put_text(o, l->pr->name);
        put(o, ",%lld,%s,%s,", (long long)l->qty, yuan(l->price, m1), yuan(l->pr->base, m2));
        if (c->retention)
            put(o, "%d", c->retention);
        put(o, ",");
        if (c->excess)
            put(o, "%d", c->excess);
        put(o, ",%d,%d,%d,%s,%s,", c->concession, c->negotiated, c->credit, day(c->acceptance, d2),
            yuan(l->cost, m3));
        if (c->partner != NONE)
            put(o, "%s:%d;%s:%d", demo_people[c->person].id, c->share, demo_people[c->partner].id,
                100 - c->share);
        end_row(o);
    }
    o = &g->out[JX_KIND_PAYMENTS];
    for (int i = 0; i < c->npay; i++) {
        put(o, "HK%d-%04ld,%s,%s,%s,%s", JX_DEMO_YEAR, ++g->npayments, c->id,
            day(c->pay[i].date, d1), yuan(c->pay[i].amount, m1), pay_kinds[c->pay[i].kind]);
        end_row(o);
    }
    if (c->returned) {
        o = &g->out[JX_KIND_RETURNS];
        put(o, "TH%d-%03ld,%s,%s,%s", JX_DEMO_YEAR, ++g->nreturns, c->id, day(c->return_date, d1),
            yuan(c->returned, m1));
        end_row(o);
    }
}

/* The contract of example M1 (domain.md §5.1): P101, August, collected in two parts. */
static void m1_contract(struct gen *g, size_t p)
{
    struct contract c;
    int cu = NONE;
    for (size_t i = 0; i < g->ncust && cu == NONE; i++)
        if (g->cust[i].owner == (int)p)
            cu = (int)i;
    if (cu == NONE)
        return;
    start_contract(g, &c, p, jx_date_from_ymd(JX_DEMO_YEAR, 8, 5), cu);
    c.lines[0] = (struct line){&m1_product, 10, YUAN(20000), YUAN(12000)};
    c.nlines = 1;
    c.revenue = YUAN(200000);
    c.retention = 5;
    c.excess = 15;
    c.pay[0] = (struct payment){jx_date_from_ymd(JX_DEMO_YEAR, 8, 20), YUAN(150000), PAY_PAYMENT};
    c.pay[1] = (struct payment){jx_date_from_ymd(JX_DEMO_YEAR, 9, 10), YUAN(50000), PAY_PAYMENT};
    c.npay = 2;
    emit_contract(g, &c);
}

/* One contract of marketing rep p in month m. */
static void mkt_contract(struct gen *g, size_t p, int m)
{
    static const int excess_rates[] = {10, 12, 15, 18, 20};
    static const int shares[] = {50, 60, 70};
    bool eng = !strncmp(demo_people[p].unit, "MKT-E", 5);
    struct contract c;
    int32_t date = pick_day(g, m, g->hire[p]);
    if (date == JX_NO_DATE)
        return;
    int cu = pick_customer(g, (int)p, date);
    if (cu == NONE)
        return;
    start_contract(g, &c, p, date, cu);
    int pct = price_pct(g, 9, false);
    if (eng) {
        add_line(g, &c, &products_e[between(g, 0, (int)NELEM(products_e) - 1)], pct);
        if (chance(g, 40))
            add_line(g, &c, &cable_e, pct);
    } else {
        int n = (int)NELEM(products_p), a = between(g, 0, n - 1);
        add_line(g, &c, &products_p[a], pct);
        if (chance(g, 35))
            add_line(g, &c, &products_p[(a + between(g, 1, n - 1)) % n], pct);
        if (chance(g, 30))
            add_line(g, &c, &service_p, 100);
    }
    c.retention = chance(g, eng ? 80 : 40) ? 5 : 0;
    if (chance(g, 30))
        c.excess = excess_rates[between(g, 0, (int)NELEM(excess_rates) - 1)];
    c.concession = chance(g, 7);
    if (chance(g, 8)) {
        int q = teammate(g, p, m);
        if (q != NONE) {
            c.partner = q;
            c.share = shares[between(g, 0, (int)NELEM(shares) - 1)];
        }
    }
    plan_return(g, &c, 4);
    mkt_collections(g, &c, eng);
    emit_contract(g, &c);
}

/* One contract of SALES rep p in month m, with one of the rep's agents. */
static void sales_contract(struct gen *g, size_t p, int m)
{
    struct contract c;
    int32_t date = pick_day(g, m, g->hire[p]);
    if (date == JX_NO_DATE)
        return;
    int cu = pick_customer(g, (int)p, date);
    if (cu == NONE)
        return;
    start_contract(g, &c, p, date, cu);
    int n = (int)NELEM(products_s), a = between(g, 0, n - 1), pct = price_pct(g, 5, true);
    add_line(g, &c, &products_s[a], pct);
    if (chance(g, 40))
        add_line(g, &c, &products_s[(a + between(g, 1, n - 1)) % n], pct);
    c.negotiated = chance(g, 10);
    c.credit = chance(g, 6);
    plan_return(g, &c, 2);
    sales_collections(g, &c);
    emit_contract(g, &c);
}

/* How many contracts a rep signs in a month of weight w (percent). */
static int contracts_in_month(struct gen *g, size_t p, int m, int w)
{
    static const int odds_p[] = {85, 55, 25}, odds_e[] = {75, 25, 5};
    const int *odds = !strncmp(demo_people[p].unit, "MKT-E", 5) ? odds_e : odds_p;
    int n = 0, fd = demo_people[p].first_deal;
    if (g->grp[p] == G_SALES_REP) {
        n = between(g, 3, 5);
        if (w < 100 && chance(g, 100 - w))
            n--;
        if (w > 100 && chance(g, w - 100))
            n++;
        return n;
    }
    for (int k = 0; k < 3; k++)
        if (between(g, 0, 99) < odds[k] * w / 100)
            n++;
    if (fd && m < fd)
        return 0;
    if (fd && m == fd && n == 0)
        return 1;
    return n;
}

/* contracts.csv, payments.csv and returns.csv, month by month. */
static void gen_contracts(struct gen *g)
{
    put(&g->out[JX_KIND_CONTRACTS],
        "contract_id,signed_date,customer_id,person_id,product,quantity,unit_price,base_price,"
        "retention_rate,excess_rate,concession,company_negotiated,credit_approved,"
        "acceptance_date,unit_cost,split\n");
    put(&g->out[JX_KIND_PAYMENTS], "id,contract_id,date,amount,kind\n");
    put(&g->out[JX_KIND_RETURNS], "id,contract_id,date,amount\n");
    for (int m = 1; m <= 12; m++)
        for (size_t p = 0; p < NPEOPLE; p++) {
            if ((g->grp[p] != G_MKT_REP && g->grp[p] != G_SALES_REP) || !active(g, p, m))
                continue;
            if (m == 8 && !strcmp(demo_people[p].id, "P101"))
                m1_contract(g, p);
            int n = contracts_in_month(g, p, m, season[m - 1]);
            for (int i = 0; i < n; i++) {
                if (g->grp[p] == G_MKT_REP)
                    mkt_contract(g, p, m);
                else
                    sales_contract(g, p, m);
            }
        }
}

/* ---- targets, attendance, ratings, violations, events ---- */

/* The monthly appraisal sales target of a SALES rep (yuan). */
#define SALES_REP_TARGET 100000

/* One targets.csv row. */
static void target(struct out *o, const char *subject, int m, const char *metric, long value)
{
    put(o, "%s,%d-%02d,%s,%ld", subject, JX_DEMO_YEAR, m, metric, value);
    end_row(o);
}

/*
 * targets.csv: each rep's monthly sales target (SALES: the basic task 30,000
 * and three agents), the scorecard targets of marketing reps, and each team's
 * target as the sum of its reps' (decomposed).
 */
static void gen_targets(struct gen *g)
{
    static const char *const teams[] = {"MKT-P1", "MKT-P2", "MKT-E1", "SALES"};
    struct out *o = &g->out[JX_KIND_TARGETS];
    put(o, "subject_id,period,metric,value\n");
    for (int m = 1; m <= 12; m++) {
        for (size_t t = 0; t < NELEM(teams); t++) {
            long sum = 0;
            for (size_t p = 0; p < NPEOPLE; p++)
                if (active(g, p, m) && !strcmp(demo_people[p].unit, teams[t]) &&
                    (g->grp[p] == G_MKT_REP || g->grp[p] == G_SALES_REP))
                    sum += g->grp[p] == G_SALES_REP ? SALES_REP_TARGET : g->target[p];
            target(o, teams[t], m, "team_sales", sum);
            /* the unit's sales target, decomposed to its reps (sales-department.yaml) */
            target(o, teams[t], m, "sales", sum);
            /* the team's manager is measured on it (manager-scorecard.yaml) */
            for (size_t p = 0; p < NPEOPLE; p++)
                if (active(g, p, m) && !strcmp(demo_people[p].unit, teams[t]) &&
                    (g->grp[p] == G_MKT_MANAGER || g->grp[p] == G_SALES_MANAGER)) {
                    target(o, demo_people[p].id, m, "team_sales", sum);
                    if (g->grp[p] == G_SALES_MANAGER) {
                        target(o, demo_people[p].id, m, "new_customers", 3);
                        target(o, demo_people[p].id, m, "complaint_rate", 3);
                        target(o, demo_people[p].id, m, "collection_rate", 90);
                    }
                }
        }
        for (size_t p = 0; p < NPEOPLE; p++) {
            if (!active(g, p, m))
                continue;
            const char *id = demo_people[p].id;
            if (g->grp[p] == G_MKT_REP) {
                target(o, id, m, "sales", g->target[p]);
                target(o, id, m, "new_customers", 1);
                target(o, id, m, "collection_rate", 90);
                target(o, id, m, "complaint_rate", 3);
                target(o, id, m, "violations", 1);
            } else if (g->grp[p] == G_SALES_REP) {
                /* the appraisal target (sales-department.yaml: at least 100,000); the
                   basic task of 30,000 is a parameter of agent-sales.yaml */
                target(o, id, m, "sales", SALES_REP_TARGET);
                target(o, id, m, "agents_signed", 3);
                target(o, id, m, "new_customers", 1);
                target(o, id, m, "complaint_rate", 3);
                target(o, id, m, "collection_rate", 90);
            }
        }
    }
}

/* attendance.csv: now and then late, a personal leave, leaving early, rarely absent. */
static void gen_attendance(struct gen *g)
{
    static const int count_w[] = {45, 30, 18, 7};
    static const int kind_w[] = {57, 22, 18, 3};
    static const char *const kinds[] = {"late", "personal_leave", "early_leave", "absent"};
    struct out *o = &g->out[JX_KIND_ATTENDANCE];
    char b[JX_DATE_BUFSZ];
    put(o, "person_id,date,kind,minutes\n");
    for (int m = 1; m <= 12; m++)
        for (size_t p = 0; p < NPEOPLE; p++) {
            if (!active(g, p, m))
                continue;
            int n = weighted(g, count_w, 4);
            int32_t used[4];
            int nused = 0;
            for (int i = 0; i < n; i++) {
                int32_t d = pick_day(g, m, g->hire[p]);
                bool dup = d == JX_NO_DATE;
                for (int j = 0; j < nused && !dup; j++)
                    dup = used[j] == d;
                if (dup)
                    continue;
                used[nused++] = d;
                int k = weighted(g, kind_w, 4);
                put(o, "%s,%s,%s,", demo_people[p].id, day(d, b), kinds[k]);
                if (k == 0)
                    put(o, "%d", between(g, 5, 45));
                else if (k == 1)
                    put(o, "%d", chance(g, 50) ? 240 : 480);
                else if (k == 2)
                    put(o, "%d", between(g, 30, 120));
                end_row(o);
            }
        }
}

/* One ratings.csv row; score in tenths ("8.5", "90"). */
static void rating(struct out *o, const char *subject, int m, const char *rater, const char *role,
                   const char *item, int tenths, const char *stage)
{
    put(o, "%s,%d-%02d,%s,%s,%s,%d", subject, JX_DEMO_YEAR, m, rater, role, item, tenths / 10);
    if (tenths % 10)
        put(o, ".%d", tenths % 10);
    put(o, ",%s", stage);
    end_row(o);
}

/* A 0-100 score in tenths around a person's quality. */
static int score100(struct gen *g, size_t p, int lo)
{
    int s = lo + g->quality[p] * (100 - lo) / 110 + between(g, -8, 8);
    return (s < 0 ? 0 : s > 100 ? 100 : s) * 10;
}

/* The composite score (0-13, in tenths, half points) of a marketing rep or manager. */
static int composite(struct gen *g, size_t p, int m)
{
    const char *id = demo_people[p].id;
    if (!strcmp(id, "P101") && (m == 8 || m == 9))
        return m == 8 ? 90 : 80; /* example M1 */
    if (demo_people[p].first_deal == 13 && m == 12)
        return 55; /* a probation hire with no business and a low score */
    int t = 70 + g->quality[p] / 5 + between(g, -10, 10);
    t = (t + 2) / 5 * 5;
    if (chance(g, 3))
        t += 20; /* 表现特别优秀: approved extra points */
    return t < 0 ? 0 : t > 130 ? 130 : t;
}

/*
 * ratings.csv: HR's monthly composite score (item composite, 0-13) of every
 * marketing rep and manager (now and then one is missing); qualitative
 * ratings (0-100) of reps by their manager, a peer and a customer, with a
 * review-stage rating by the director for some; kpi and service ratings of
 * after-sales engineers and managers by their superior, a peer and a customer.
 */
static void gen_ratings(struct gen *g)
{
    struct out *o = &g->out[JX_KIND_RATINGS];
    int hr = person_index("P001"), director = person_index("P010");
    put(o, "subject_id,period,rater_id,rater_role,item,score,stage\n");
    for (int m = 1; m <= 12; m++)
        for (size_t p = 0; p < NPEOPLE; p++) {
            const struct person_def *d = &demo_people[p];
            enum group gr = g->grp[p];
            if (!active(g, p, m))
                continue;
            if ((gr == G_MKT_REP || gr == G_MKT_MANAGER) && hr != NONE) {
                bool forced = !strcmp(d->id, "P101") || d->first_deal;
                int c = composite(g, p, m);
                if (forced || !chance(g, 2)) /* now and then HR has not scored someone yet */
                    rating(o, d->id, m, demo_people[hr].id, "hr", "composite", c, "");
            }
            if (gr == G_MKT_REP || gr == G_SALES_REP) {
                int peer = teammate(g, p, m);
                int cu = pick_customer(g, (int)p, month_last(m));
                int sup = score100(g, p, 50);
                rating(o, d->id, m, d->manager, "superior", "qualitative", sup, "");
                if (peer != NONE)
                    rating(o, d->id, m, demo_people[peer].id, "peer", "qualitative",
                           score100(g, p, 50), "");
                if (cu != NONE)
                    rating(o, d->id, m, g->cust[cu].id, "customer", "qualitative",
                           score100(g, p, 45), "");
                if (gr == G_MKT_REP && director != NONE && chance(g, 10)) {
                    int rev = sup + between(g, -5, 5) * 10;
                    rating(o, d->id, m, demo_people[director].id, "superior", "qualitative",
                           rev < 0      ? 0
                           : rev > 1000 ? 1000
                                        : rev,
                           "review");
                }
            }
            if (gr == G_MKT_MANAGER && director != NONE) {
                /* manager-scorecard.yaml: the form's 1-5 items, by the director */
                static const char *const items[] = {"collegiality", "responsibility",
                                                    "initiative", "principle", "coordination"};
                for (size_t i = 0; i < NELEM(items); i++)
                    rating(o, d->id, m, demo_people[director].id, "superior", items[i],
                           between(g, 3, 5) * 10, "");
            }
            if (gr == G_SALES_MANAGER && hr != NONE)
                rating(o, d->id, m, demo_people[hr].id, "superior", "qualitative",
                       score100(g, p, 60), "");
            if (gr == G_ENGINEER || gr == G_AS_MANAGER) {
                int peer = teammate(g, p, m);
                int cu = pick_any_customer(g, month_last(m), true);
                static const char *const items[] = {"kpi", "service"};
                for (int i = 0; i < 2; i++) {
                    rating(o, d->id, m, d->manager, "superior", items[i], score100(g, p, 60), "");
                    if (peer != NONE)
                        rating(o, d->id, m, demo_people[peer].id, "peer", items[i],
                               score100(g, p, 60), "");
                    if (cu != NONE)
                        rating(o, d->id, m, g->cust[cu].id, "customer", items[i],
                               score100(g, p, 55), "");
                }
            }
        }
}

/*
 * violations.csv: minor (5 points) and medium (10-20 points) breaches of
 * conduct, and one severe: P123, who left in June.
 */
static void gen_violations(struct gen *g)
{
    static const char *const minor[] = {"客户资料填写不完整", "未按时更新客户跟进记录",
                                        "月度报表数据有误"};
    static const char *const medium[] = {"未经审批承诺延长账期", "低于授权价格报价",
                                         "投诉处理超时"};
    struct out *o = &g->out[JX_KIND_VIOLATIONS];
    char b[JX_DATE_BUFSZ];
    put(o, "person_id,date,level,points,description\n");
    for (int m = 1; m <= 12; m++)
        for (size_t p = 0; p < NPEOPLE; p++) {
            enum group gr = g->grp[p];
            if (!active(g, p, m) || gr == G_STAFF || gr == G_DIRECTOR)
                continue;
            const char *id = demo_people[p].id;
            if (!strcmp(id, "P123") && m == 5) {
                put(o, "%s,%s,severe,,", id, day(jx_date_from_ymd(JX_DEMO_YEAR, 5, 20), b));
                put_text(o, "私下收取客户回扣");
                end_row(o);
            }
            if (!chance(g, 5))
                continue;
            int32_t d = pick_day(g, m, g->hire[p]);
            if (d == JX_NO_DATE)
                continue;
            if (chance(g, 70)) {
                put(o, "%s,%s,minor,5,", id, day(d, b));
                put_text(o, minor[between(g, 0, (int)NELEM(minor) - 1)]);
            } else {
                put(o, "%s,%s,medium,%d,", id, day(d, b), 5 * between(g, 2, 4));
                put_text(o, medium[between(g, 0, (int)NELEM(medium) - 1)]);
            }
            end_row(o);
        }
}

/* events.csv: commendations (表扬) and mistakes (差错) of reps, managers, engineers. */
static void gen_events(struct gen *g)
{
    static const char *const good[] = {"客户来信表扬", "提前完成季度回款", "协助新人签单",
                                       "大客户签约", "技术方案获客户好评"};
    static const char *const bad[] = {"合同录入错误", "发货单信息有误", "报价单未经审批",
                                      "客户资料遗失"};
    struct out *o = &g->out[JX_KIND_EVENTS];
    char b[JX_DATE_BUFSZ];
    put(o, "person_id,date,kind,note\n");
    for (int m = 1; m <= 12; m++)
        for (size_t p = 0; p < NPEOPLE; p++) {
            enum group gr = g->grp[p];
            if (!active(g, p, m) || gr == G_STAFF || gr == G_DIRECTOR)
                continue;
            int32_t d;
            if (chance(g, 5) && (d = pick_day(g, m, g->hire[p])) != JX_NO_DATE) {
                put(o, "%s,%s,commendation,", demo_people[p].id, day(d, b));
                put_text(o, good[between(g, 0, (int)NELEM(good) - 1)]);
                end_row(o);
            }
            if (chance(g, 4) && (d = pick_day(g, m, g->hire[p])) != JX_NO_DATE) {
                put(o, "%s,%s,mistake,", demo_people[p].id, day(d, b));
                put_text(o, bad[between(g, 0, (int)NELEM(bad) - 1)]);
                end_row(o);
            }
        }
}

/* ---- complaints, costs, reports ---- */

/* A random working time: day d between 08:30 and 17:30. */
static int64_t office_time(struct gen *g, int32_t d)
{
    return jx_time_make(d, between(g, 8 * 60 + 30, 17 * 60 + 30));
}

/* t, or when it falls at night the next morning (office hours 08:30-18:30). */
static int64_t office_hours(struct gen *g, int64_t t)
{
    int minute = jx_time_minute_of_day(t);
    int32_t d = jx_time_date(t);
    if (minute >= 8 * 60 + 30 && minute <= 18 * 60 + 30)
        return t;
    return jx_time_make(minute > 18 * 60 + 30 ? d + 1 : d, between(g, 8 * 60 + 30, 9 * 60 + 30));
}

static const char *const categories[] = {"product", "service", "delivery", "after_sales", "other"};
enum { CAT_AFTER_SALES = 3 };

/*
 * One complaint ticket of category cat opened on day d, owned by person who
 * (首问负责制).  Response and resolution are mostly within the SLA of the
 * severity, some late, a few still open at the year's end; most get a
 * follow-up and a CSAT (after-sales engineers usually satisfy).
 */
static void complaint(struct gen *g, int32_t d, int cat, int cu, int who)
{
    static const char *const severities[] = {"severe", "general", "minor"};
    static const int sev_w[] = {8, 46, 46};
    static const int csat_w[] = {3, 7, 15, 35, 40}, csat_as[] = {1, 2, 5, 22, 70};
    struct out *o = &g->out[JX_KIND_COMPLAINTS];
    int64_t end = jx_time_make(g->last, LAST_MINUTE);
    char t1[JX_TIME_BUFSZ], t2[JX_TIME_BUFSZ], t3[JX_TIME_BUFSZ], t4[JX_TIME_BUFSZ];
    int sev = weighted(g, sev_w, 3), fast = cat == CAT_AFTER_SALES ? 30 : 0, csat = 0;
    int64_t opened = office_time(g, d), responded, resolved, followed = -1;
    if (sev == 0) {
        responded = opened + (chance(g, 80) ? between(g, 5, 30) : between(g, 31, 90));
        resolved = opened + 60 * (chance(g, 85) ? between(g, 2, 24) : between(g, 25, 48));
    } else if (sev == 1) {
        responded = opened + (chance(g, 75) ? between(g, 10, 60) : between(g, 61, 240));
        resolved = opened + 60 * (chance(g, 50 + fast) ? between(g, 2, 24) : between(g, 25, 96));
    } else {
        responded = opened + (chance(g, 60) ? between(g, 15, 60) : between(g, 61, 1440));
        resolved = opened + 60 * (chance(g, 40 + fast) ? between(g, 2, 24) : between(g, 25, 144));
    }
    if (sev != 0) { /* only severe tickets are worked on at night */
        responded = office_hours(g, responded);
        if (resolved < responded + 30)
            resolved = responded + between(g, 30, 240);
        resolved = office_hours(g, resolved);
    }
    if ((d > g->last - 12 && chance(g, 40)) || resolved > end)
        resolved = -1; /* still open */
    if (resolved >= 0 && chance(g, 85 + fast / 3)) {
        int32_t fd = jx_time_date(resolved) + between(g, 1, 3);
        followed = fd <= g->last ? office_time(g, on_workday(g, fd)) : -1;
        if (followed > end)
            followed = -1;
        if (followed >= 0)
            csat = 1 + weighted(g, cat == CAT_AFTER_SALES ? csat_as : csat_w, 5);
    }
    put(o, "TS%d-%03ld,%s,%s,%s,%s,%s,%s,%s,%s,", JX_DEMO_YEAR, ++g->ncomplaints, g->cust[cu].id,
        demo_people[who].id, categories[cat], severities[sev], at(opened, t1), at(responded, t2),
        at(resolved, t3), at(followed, t4));
    if (csat)
        put(o, "%d", csat);
    end_row(o);
}

/*
 * complaints.csv: each month a few after-sales tickets (owned by an engineer)
 * and a few complaints about products, service or delivery (owned by the
 * customer's rep).
 */
static void gen_complaints(struct gen *g)
{
    static const int cat_w[] = {35, 35, 20, 10}; /* product service delivery other */
    static const int cat_of[] = {0, 1, 2, 4};
    put(&g->out[JX_KIND_COMPLAINTS],
        "id,customer_id,person_id,category,severity,opened_at,responded_at,resolved_at,"
        "followed_up_at,csat\n");
    for (int m = 1; m <= 12; m++) {
        int n_as = between(g, 3, 7), n_rep = between(g, 1, 4);
        for (int i = 0; i < n_as + n_rep; i++) {
            bool as = i < n_as;
            int32_t d = pick_day(g, m, g->first);
            int cu = d == JX_NO_DATE ? NONE : pick_any_customer(g, d, as || chance(g, 70));
            if (cu == NONE)
                continue;
            if (!as) {
                complaint(g, d, cat_of[weighted(g, cat_w, 4)], cu, g->cust[cu].owner);
                continue;
            }
            int eng[NPEOPLE], ne = 0;
            for (size_t p = 0; p < NPEOPLE; p++)
                if (g->grp[p] == G_ENGINEER && active_on(g, p, d))
                    eng[ne++] = (int)p;
            if (ne)
                complaint(g, d, CAT_AFTER_SALES, cu, eng[between(g, 0, ne - 1)]);
        }
    }
}

/* costs.csv: reps' customer costs (招待, 差旅) and the monthly allocated overhead. */
static void gen_costs(struct gen *g)
{
    struct out *o = &g->out[JX_KIND_COSTS];
    char b[JX_DATE_BUFSZ], mb[JX_MONEY_BUFSZ];
    put(o, "id,date,amount,kind,person_id,customer_id,contract_id\n");
    for (int m = 1; m <= 12; m++) {
        for (size_t p = 0; p < NPEOPLE; p++) {
            if ((g->grp[p] != G_MKT_REP && g->grp[p] != G_SALES_REP) || !active(g, p, m))
                continue;
            int n = between(g, 1, 2);
            for (int i = 0; i < n; i++) {
                int32_t d = pick_day(g, m, g->hire[p]);
                if (d == JX_NO_DATE)
                    continue;
                int cu = pick_customer(g, (int)p, d);
                int64_t amount = YUAN(between(g, 2, 30) * 100) + (chance(g, 30) ? 50 : 0);
                put(o, "FY%d-%04ld,%s,%s,customer,%s,%s,", JX_DEMO_YEAR, ++g->ncosts, day(d, b),
                    yuan(amount, mb), demo_people[p].id, cu != NONE ? g->cust[cu].id : "");
                end_row(o);
            }
        }
        put(o, "FY%d-%04ld,%s,%s,allocated,,,", JX_DEMO_YEAR, ++g->ncosts,
            day(last_workday(g, m), b), yuan(YUAN(between(g, 50, 65) * 1000), mb));
        end_row(o);
    }
}

/* The time a report due on working day due is handed in (mostly before 10:00). */
static int64_t submitted(struct gen *g, size_t p, int32_t due)
{
    if (chance(g, 88 + g->quality[p] / 10))
        return jx_time_make(due, between(g, 8 * 60, 9 * 60 + 55));
    if (chance(g, 50))
        return jx_time_make(due, between(g, 10 * 60 + 30, 17 * 60 + 30));
    return office_time(g, on_workday(g, due + 1));
}

/*
 * reports.csv: weekly reports (period 2025-W05; due the first working day
 * after the week, 10:00) and monthly reports (due the 5th of the next month)
 * of marketing and SALES reps and managers; a few are late.
 */
static void gen_reports(struct gen *g)
{
    struct out *o = &g->out[JX_KIND_REPORTS];
    char t[JX_TIME_BUFSZ];
    int32_t week1 = jx_date_from_ymd(JX_DEMO_YEAR - 1, 12, 30); /* Monday of 2025-W01 */
    put(o, "person_id,kind,period,submitted_at\n");
    for (int w = 1; w <= 52; w++) {
        int32_t monday = week1 + 7 * (w - 1), sunday = monday + 6;
        int32_t due = on_workday(g, sunday + 1);
        int y, m, dd;
        jx_date_to_ymd(monday < g->first ? g->first : monday, &y, &m, &dd);
        for (size_t p = 0; p < NPEOPLE; p++) {
            enum group gr = g->grp[p];
            if ((gr != G_MKT_REP && gr != G_MKT_MANAGER && gr != G_SALES_REP &&
                 gr != G_SALES_MANAGER) ||
                g->hire[p] > sunday || !active(g, p, m))
                continue;
            put(o, "%s,weekly,%d-W%02d,%s", demo_people[p].id, JX_DEMO_YEAR, w,
                at(submitted(g, p, due), t));
            end_row(o);
        }
    }
    for (int m = 1; m <= 11; m++) {
        int32_t due = on_workday(g, month_first(m + 1) + between(g, 0, 3));
        for (size_t p = 0; p < NPEOPLE; p++) {
            enum group gr = g->grp[p];
            if ((gr != G_MKT_REP && gr != G_MKT_MANAGER && gr != G_SALES_REP &&
                 gr != G_SALES_MANAGER) ||
                !active(g, p, m))
                continue;
            int64_t s = submitted(g, p, due);
            if (jx_time_date(s) != due && chance(g, 50))
                s = office_time(g, on_workday(g, month_first(m + 1) + between(g, 5, 7)));
            put(o, "%s,monthly,%d-%02d,%s", demo_people[p].id, JX_DEMO_YEAR, m, at(s, t));
            end_row(o);
        }
    }
}

/*
 * contacts.csv: each rep's visits and calls to the customers they own, at
 * the cadence of the customer's tier (weekly, fortnightly, monthly) with a
 * few days' slack; the better the rep (quality), the fewer missed contacts,
 * incomplete records and late follow-ups.  A follow-up is due 3 days after
 * the contact.
 */
static void gen_contacts(struct gen *g)
{
    static const char *const channels[] = {"visit", "phone", "wechat"};
    static const int cadence[3] = {7, 14, 30}; /* by tier index */
    struct out *o = &g->out[JX_KIND_CONTACTS];
    char t1[JX_TIME_BUFSZ], t2[JX_TIME_BUFSZ], t3[JX_TIME_BUFSZ];
    put(o, "person_id,customer_id,at,channel,fields_complete,fields_required,follow_up_due,"
           "follow_up_done_at\n");
    for (size_t c = 0; c < g->ncust; c++) {
        const struct customer *cu = &g->cust[c];
        int p = cu->owner, q = g->quality[p];
        int32_t d = g->first + between(g, 0, cadence[cu->tier] - 1), last = JX_NO_DATE;
        for (; d <= g->last; d += cadence[cu->tier] + between(g, -2, 3)) {
            int32_t when = on_workday(g, d < g->hire[p] ? g->hire[p] : d);
            int y, m, dd;
            jx_date_to_ymd(when, &y, &m, &dd);
            if (when > g->last || when <= last || !active(g, (size_t)p, m) ||
                chance(g, (100 - q) / 3))
                continue; /* missed: the customer's contact becomes overdue */
            last = when;
            int64_t at_ = office_time(g, when), due = at_ + 3 * 24 * 60;
            int required = 12, complete = chance(g, q) ? required : between(g, 6, required - 1);
            put(o, "%s,%s,%s,%s,%d,%d,%s,", demo_people[p].id, cu->id, at(at_, t1),
                channels[between(g, 0, 2)], complete, required, at(due, t2));
            if (!chance(g, (100 - q) / 4)) /* done, on time or (less often) late */
                put(o, "%s", at(chance(g, q) ? due - between(g, 60, 2 * 24 * 60)
                                             : due + between(g, 60, 3 * 24 * 60),
                                t3));
            end_row(o);
        }
    }
}

/* ---- build ---- */

/* The kinds in dependency order: what a row refers to is imported before it. */
static const enum jx_kind import_order[] = {
    JX_KIND_UNITS,      JX_KIND_PEOPLE,  JX_KIND_CUSTOMERS,  JX_KIND_CONTRACTS, JX_KIND_PAYMENTS,
    JX_KIND_RETURNS,    JX_KIND_TARGETS, JX_KIND_ATTENDANCE, JX_KIND_RATINGS,   JX_KIND_VIOLATIONS,
    JX_KIND_COMPLAINTS, JX_KIND_EVENTS,  JX_KIND_COSTS,      JX_KIND_REPORTS,   JX_KIND_CONTACTS,
};

/* Generate the text of every kind; JX_OK or a failure in err. */
static enum jx_status generate(struct gen *g)
{
    enum jx_status s;
    gen_units(g);
    if ((s = gen_people(g)) || (s = gen_customers(g)))
        return s;
    gen_contracts(g);
    gen_targets(g);
    gen_attendance(g);
    gen_ratings(g);
    gen_violations(g);
    gen_complaints(g);
    gen_events(g);
    gen_costs(g);
    gen_reports(g);
    gen_contacts(g);
    if (g->fail)
        return g->fail;
    for (int k = 0; k < JX_KIND_COUNT; k++)
        if (g->out[k].oom)
            return jx_err_set(g->err, JX_ENOMEM, "out of memory");
    return JX_OK;
}

/* Import every generated kind, in dependency order. */
static enum jx_status import_all(struct gen *g, struct jx_store *st,
                                 const struct jx_demo_opts *opts, struct jx_demo_report *rep,
                                 struct jx_err *err)
{
    struct jx_import_opts io = {.who = opts && opts->who ? opts->who : "demo",
                                .progress = opts ? opts->progress : NULL};
    for (size_t i = 0; i < NELEM(import_order); i++) {
        enum jx_kind k = import_order[i];
        const struct out *o = &g->out[k];
        char name[64];
        snprintf(name, sizeof name, "demo/%s.csv", jx_kinds[k].name);
        if (io.progress) {
            fprintf(io.progress, "demo: importing %s (%ld rows)\n", jx_kinds[k].name, o->rows);
            fflush(io.progress);
        }
        enum jx_status s =
            jx_import_buffer(st, k, name, o->p ? o->p : "", o->len, &io, &rep->import);
        if (s == JX_EINPUT) {
            rep->failed = k;
            return jx_err_set(err, JX_EINTERNAL, "demo: the importer refused the generated %s",
                              jx_kinds[k].name);
        }
        if (s) {
            if (err && rep->import.nerrors)
                *err = rep->import.errs[0];
            return s;
        }
        rep->rows[k] = rep->import.written;
    }
    return JX_OK;
}

enum jx_status jx_demo_build(struct jx_store *st, const struct jx_demo_opts *opts,
                             struct jx_demo_report *rep, struct jx_err *err)
{
    enum jx_status s;
    memset(rep, 0, sizeof *rep);
    rep->failed = JX_KIND_NONE;
    struct gen *g = jx_calloc(1, sizeof *g);
    if (!g)
        return jx_err_set(err, JX_ENOMEM, "out of memory");
    g->rng = opts && opts->seed ? opts->seed : JX_DEMO_SEED;
    g->err = err;
    g->first = jx_date_from_ymd(JX_DEMO_YEAR, 1, 1);
    g->last = jx_date_from_ymd(JX_DEMO_YEAR, 12, 31);
    jx_calendar_init(&g->cal);
    if (!(s = jx_calendar_load_builtin(&g->cal, err)) && !(s = generate(g)))
        s = import_all(g, st, opts, rep, err);
    if (!s)
        rep->contracts = g->ncontracts;
    for (int k = 0; k < JX_KIND_COUNT; k++)
        free(g->out[k].p);
    jx_calendar_release(&g->cal);
    free(g);
    return s;
}

/* ---- summary ---- */

struct unit_sum {
    long people, complaints;
    int64_t revenue, collected, pay;
};

/* Add amount to *sum; false on overflow. */
static bool add_money(int64_t *sum, int64_t amount)
{
    return jx_money_add(*sum, amount, sum);
}

/* Credit own[] of unit u to u and every unit above it. */
static bool roll_up(const struct jx_data *d, const struct unit_sum *own, struct unit_sum *tot,
                    int32_t u)
{
    int depth = 0;
    for (int32_t a = u; a >= 0 && depth < MAX_DEPTH; a = d->units.parent[a], depth++) {
        tot[a].people += own[u].people;
        tot[a].complaints += own[u].complaints;
        if (!add_money(&tot[a].revenue, own[u].revenue) ||
            !add_money(&tot[a].collected, own[u].collected) || !add_money(&tot[a].pay, own[u].pay))
            return false;
    }
    return true;
}

/* Print unit u and, indented, the units below it. */
static void print_unit(FILE *out, const struct jx_data *d, const struct unit_sum *tot, int32_t u,
                       int depth, bool with_pay)
{
    char id[64], b1[JX_MONEY_BUFSZ], b2[JX_MONEY_BUFSZ], b3[JX_MONEY_BUFSZ];
    snprintf(id, sizeof id, "%*s%s", 2 * depth, "", d->units.id[u]);
    fprintf(out, "%-14s %6ld %15s %15s %10ld", id, tot[u].people, yuan(tot[u].revenue, b1),
            yuan(tot[u].collected, b2), tot[u].complaints);
    if (with_pay)
        fprintf(out, " %12s", yuan(tot[u].pay, b3));
    fprintf(out, "  %s\n", d->units.name[u]);
    if (depth >= MAX_DEPTH)
        return;
    for (size_t c = 0; c < d->units.n; c++)
        if (d->units.parent[c] == u)
            print_unit(out, d, tot, (int32_t)c, depth + 1, with_pay);
}

/* Each unit's own figures (people, contracts and payments credited to it directly). */
static bool own_figures(const struct jx_data *d, const struct jx_run_record *run,
                        struct unit_sum *own)
{
    int32_t first = jx_date_from_ymd(JX_DEMO_YEAR, 1, 1);
    int32_t last = jx_date_from_ymd(JX_DEMO_YEAR, 12, 31);
    const struct jx_contracts *k = &d->contracts;
    for (size_t p = 0; p < d->people.n; p++)
        if (d->people.status[p] != JX_PS_LEFT && d->people.unit[p] >= 0)
            own[d->people.unit[p]].people++;
    for (size_t c = 0; c < k->n; c++) {
        int32_t u = k->person[c] >= 0 ? d->people.unit[k->person[c]] : -1;
        if (u >= 0 && k->signed_date[c] >= first && k->signed_date[c] <= last &&
            !add_money(&own[u].revenue, k->revenue[c]))
            return false;
    }
    for (size_t i = 0; i < d->payments.n; i++) {
        int32_t c = d->payments.contract[i];
        int32_t u = c >= 0 && k->person[c] >= 0 ? d->people.unit[k->person[c]] : -1;
        int64_t amount = d->payments.amount[i];
        if (u < 0 || d->payments.date[i] < first || d->payments.date[i] > last)
            continue;
        if (d->payments.kind[i] == JX_PAY_DEPOSIT &&
            (k->acceptance_date[c] == JX_NO_DATE || k->acceptance_date[c] > last))
            continue; /* a deposit counts once the customer has accepted */
        if (!add_money(&own[u].collected, d->payments.kind[i] == JX_PAY_REFUND ? -amount : amount))
            return false;
    }
    for (size_t i = 0; i < d->complaints.n; i++) {
        int32_t p = d->complaints.person[i];
        int32_t opened = d->complaints.opened[i] == JX_NO_TIME
                             ? JX_NO_DATE
                             : jx_time_date(d->complaints.opened[i]);
        if (p >= 0 && d->people.unit[p] >= 0 && opened >= first && opened <= last)
            own[d->people.unit[p]].complaints++;
    }
    /* the stored run: each row's person and its pay total ("total":"1234.56") */
    for (size_t i = 0; run && i < run->nrows; i++) {
        const char *t = strstr(run->rows[i].result, "\"total\":\"");
        int64_t total;
        int32_t p = -1;
        for (size_t q = 0; q < d->people.n && p < 0; q++)
            if (!strcmp(d->people.id[q], run->rows[i].person_id))
                p = (int32_t)q;
        if (p < 0 || !t)
            continue; /* a team or agent scored, or not paid */
        t += 9;
        const char *end = strchr(t, '"');
        if (!end || jx_money_parse(t, (size_t)(end - t), &total, NULL) != JX_OK)
            continue;
        int32_t u = d->people.unit[p];
        if (u >= 0 && !add_money(&own[u].pay, total))
            return false;
    }
    return true;
}

enum jx_status jx_demo_summary(FILE *out, const struct jx_data *d, const struct jx_run_record *run,
                               const char *run_period, struct jx_err *err)
{
    size_t nu = d->units.n ? d->units.n : 1;
    struct unit_sum *own = jx_calloc(nu, sizeof *own), *tot = jx_calloc(nu, sizeof *tot);
    enum jx_status s = JX_OK;
    if (!own || !tot) {
        s = jx_err_set(err, JX_ENOMEM, "out of memory");
        goto done;
    }
    if (!own_figures(d, run, own)) {
        s = jx_err_set(err, JX_ERANGE, "demo summary: an amount is out of range");
        goto done;
    }
    for (size_t u = 0; u < d->units.n; u++)
        if (!roll_up(d, own, tot, (int32_t)u)) {
            s = jx_err_set(err, JX_ERANGE, "demo summary: an amount is out of range");
            goto done;
        }
    char pay[32];
    snprintf(pay, sizeof pay, "pay %s", run_period ? run_period : "");
    fprintf(out, "%-14s %6s %15s %15s %10s", "unit", "people", "revenue 2025", "collected 2025",
            "complaints");
    if (run)
        fprintf(out, " %12s", pay);
    fprintf(out, "  name\n");
    for (size_t u = 0; u < d->units.n; u++)
        if (d->units.parent[u] < 0)
            print_unit(out, d, tot, (int32_t)u, 0, run != NULL);
done:
    free(own);
    free(tot);
    return s;
}
