/*
 * model.c - the columns of every import kind (interfaces.md, "Import files").
 */
#include "model.h"

#include <string.h>

static const char *const unit_kinds[] = {"company", "center", "division", "department", "team",
                                         NULL};
static const char *const roles[] = {"rep",     "manager",  "director", "hr",
                                    "finance", "engineer", "admin",    NULL};
static const char *const person_status[] = {"probation", "regular", "left", NULL};
static const char *const customer_kinds[] = {"customer", "agent", "distributor", NULL};
static const char *const classes[] = {"A", "B", "C", NULL};
static const char *const tiers[] = {"high_potential", "stable", "watching", NULL};
static const char *const payment_kinds[] = {"payment", "deposit", "refund", NULL};
static const char *const attendance_kinds[] = {"absent", "personal_leave", "late",
                                               "early_leave", NULL};
static const char *const rater_roles[] = {"self", "superior", "peer", "customer",
                                          "cross_dept", "hr", NULL};
static const char *const stages[] = {"initial", "review", NULL};
static const char *const levels[] = {"minor", "medium", "severe", NULL};
static const char *const categories[] = {"product", "service", "delivery", "after_sales",
                                         "other", NULL};
static const char *const severities[] = {"severe", "general", "minor", NULL};
static const char *const cost_kinds[] = {"customer", "allocated", NULL};
static const char *const report_kinds[] = {"weekly", "monthly", NULL};

#define N JX_KIND_NONE
#define COLS(a) a, sizeof a / sizeof a[0]

static const struct jx_column units[] = {
    {"id", JX_T_ID, true, NULL, N, "编号|单位编号|部门编号", false},
    {"name", JX_T_TEXT, true, NULL, N, "名称|单位名称|部门名称", false},
    {"parent_id", JX_T_ID, false, NULL, JX_KIND_UNITS, "上级编号|上级单位", false},
    {"kind", JX_T_ENUM, true, unit_kinds, N, "类型|层级", false},
};

static const struct jx_column people[] = {
    {"id", JX_T_ID, true, NULL, N, "工号|员工编号", false},
    {"name", JX_T_TEXT, true, NULL, N, "姓名", false},
    {"unit_id", JX_T_ID, true, NULL, JX_KIND_UNITS, "部门|部门编号|所属部门", false},
    {"role", JX_T_ENUM, true, roles, N, "角色|岗位", false},
    {"manager_id", JX_T_ID, false, NULL, JX_KIND_PEOPLE, "上级|上级工号|直属上级", false},
    {"hire_date", JX_T_DATE, true, NULL, N, "入职日期", false},
    {"status", JX_T_ENUM, true, person_status, N, "状态|员工状态", false},
    {"base_salary", JX_T_MONEY, true, NULL, N, "基本工资|底薪", false},
    {"allowance", JX_T_MONEY, false, NULL, N, "岗位津贴|津贴", false},
};

static const struct jx_column customers[] = {
    {"id", JX_T_ID, true, NULL, N, "客户编号", false},
    {"name", JX_T_TEXT, true, NULL, N, "客户名称|名称", false},
    {"kind", JX_T_ENUM, true, customer_kinds, N, "客户类型|类型", false},
    {"class", JX_T_ENUM, true, classes, N, "客户等级|等级", false},
    {"tier", JX_T_ENUM, false, tiers, N, "客户层级|层级", false},
    {"owner_id", JX_T_ID, true, NULL, JX_KIND_PEOPLE, "负责人|业务员工号", false},
    {"signed_date", JX_T_DATE, false, NULL, N, "签约日期", false},
};

static const struct jx_column contracts[] = {
    {"contract_id", JX_T_ID, true, NULL, N, "合同编号", true},
    {"signed_date", JX_T_DATE, true, NULL, N, "签订日期|签约日期", true},
    {"customer_id", JX_T_ID, true, NULL, JX_KIND_CUSTOMERS, "客户编号", true},
    {"person_id", JX_T_ID, true, NULL, JX_KIND_PEOPLE, "业务员|工号|业务员工号", true},
    {"product", JX_T_TEXT, true, NULL, N, "产品|产品名称", false},
    {"quantity", JX_T_DEC, true, NULL, N, "数量", false},
    {"unit_price", JX_T_MONEY, true, NULL, N, "单价", false},
    {"base_price", JX_T_MONEY, true, NULL, N, "基准价|公司价", false},
    {"retention_rate", JX_T_PERCENT, false, NULL, N, "质保金比例", true},
    {"excess_rate", JX_T_PERCENT, false, NULL, N, "超额提成比例", true},
    {"concession", JX_T_BOOL, false, NULL, N, "附加条件", true},
    {"company_negotiated", JX_T_BOOL, false, NULL, N, "公司出面谈判", true},
    {"credit_approved", JX_T_BOOL, false, NULL, N, "总经理特批", true},
    {"acceptance_date", JX_T_DATE, false, NULL, N, "验收日期", true},
    {"unit_cost", JX_T_MONEY, false, NULL, N, "单位成本|成本价", false},
    {"split", JX_T_SPLIT, false, NULL, N, "分成|业绩分配", true},
};

static const struct jx_column payments[] = {
    {"id", JX_T_ID, true, NULL, N, "回款编号|编号", false},
    {"contract_id", JX_T_ID, true, NULL, JX_KIND_CONTRACTS, "合同编号", false},
    {"date", JX_T_DATE, true, NULL, N, "回款日期|日期", false},
    {"amount", JX_T_MONEY, true, NULL, N, "回款金额|金额", false},
    {"kind", JX_T_ENUM, true, payment_kinds, N, "类型|回款类型", false},
};

static const struct jx_column returns[] = {
    {"id", JX_T_ID, true, NULL, N, "退货编号|编号", false},
    {"contract_id", JX_T_ID, true, NULL, JX_KIND_CONTRACTS, "合同编号", false},
    {"date", JX_T_DATE, true, NULL, N, "退货日期|日期", false},
    {"amount", JX_T_MONEY, true, NULL, N, "退货金额|金额", false},
};

static const struct jx_column targets[] = {
    {"subject_id", JX_T_ID, true, NULL, N, "对象编号|工号", false},
    {"period", JX_T_PERIOD, true, NULL, N, "期间", false},
    {"metric", JX_T_ID, true, NULL, N, "指标", false},
    {"value", JX_T_DEC, true, NULL, N, "目标值", false},
};

static const struct jx_column attendance[] = {
    {"person_id", JX_T_ID, true, NULL, JX_KIND_PEOPLE, "工号", false},
    {"date", JX_T_DATE, true, NULL, N, "日期", false},
    {"kind", JX_T_ENUM, true, attendance_kinds, N, "类型|考勤类型", false},
    {"minutes", JX_T_INT, false, NULL, N, "分钟|时长", false},
};

static const struct jx_column ratings[] = {
    {"subject_id", JX_T_ID, true, NULL, N, "被评对象|工号", false},
    {"period", JX_T_PERIOD, true, NULL, N, "期间", false},
    {"rater_id", JX_T_ID, true, NULL, N, "评分人", false},
    {"rater_role", JX_T_ENUM, true, rater_roles, N, "评分人角色", false},
    {"item", JX_T_ID, true, NULL, N, "评分项", false},
    {"score", JX_T_DEC, true, NULL, N, "分数|得分", false},
    {"stage", JX_T_ENUM, false, stages, N, "阶段", false},
};

static const struct jx_column violations[] = {
    {"person_id", JX_T_ID, true, NULL, JX_KIND_PEOPLE, "工号", false},
    {"date", JX_T_DATE, true, NULL, N, "日期", false},
    {"level", JX_T_ENUM, true, levels, N, "级别|违规级别", false},
    {"points", JX_T_DEC, false, NULL, N, "扣分", false},
    {"description", JX_T_TEXT, false, NULL, N, "说明|描述", false},
};

static const struct jx_column complaints[] = {
    {"id", JX_T_ID, true, NULL, N, "投诉编号|编号", false},
    {"customer_id", JX_T_ID, true, NULL, JX_KIND_CUSTOMERS, "客户编号", false},
    {"person_id", JX_T_ID, true, NULL, JX_KIND_PEOPLE, "首问负责人|工号", false},
    {"category", JX_T_ENUM, true, categories, N, "类别|投诉类别", false},
    {"severity", JX_T_ENUM, true, severities, N, "严重程度|级别", false},
    {"opened_at", JX_T_TIME, true, NULL, N, "投诉时间", false},
    {"responded_at", JX_T_TIME, false, NULL, N, "响应时间", false},
    {"resolved_at", JX_T_TIME, false, NULL, N, "解决时间", false},
    {"followed_up_at", JX_T_TIME, false, NULL, N, "回访时间", false},
    {"csat", JX_T_INT, false, NULL, N, "满意度", false},
    {"cause", JX_T_ID, false, NULL, N, "原因|投诉原因", false},
    {"reopened_at", JX_T_TIME, false, NULL, N, "重开时间|重新打开时间", false},
    {"closed_at", JX_T_TIME, false, NULL, N, "关闭时间|结案时间", false},
};

static const struct jx_column events[] = {
    {"person_id", JX_T_ID, true, NULL, JX_KIND_PEOPLE, "工号", false},
    {"date", JX_T_DATE, true, NULL, N, "日期", false},
    {"kind", JX_T_ID, true, NULL, N, "类型|事件类型", false},
    {"note", JX_T_TEXT, false, NULL, N, "备注", false},
};

static const struct jx_column costs[] = {
    {"id", JX_T_ID, true, NULL, N, "费用编号|编号", false},
    {"date", JX_T_DATE, true, NULL, N, "日期", false},
    {"amount", JX_T_MONEY, true, NULL, N, "金额", false},
    {"kind", JX_T_ENUM, true, cost_kinds, N, "类型|费用类型", false},
    {"person_id", JX_T_ID, false, NULL, JX_KIND_PEOPLE, "工号", false},
    {"customer_id", JX_T_ID, false, NULL, JX_KIND_CUSTOMERS, "客户编号", false},
    {"contract_id", JX_T_ID, false, NULL, JX_KIND_CONTRACTS, "合同编号", false},
};

/* Contacts with customers: visits, calls... with record quality and follow-ups. */
static const struct jx_column contacts[] = {
    {"person_id", JX_T_ID, true, NULL, JX_KIND_PEOPLE, "工号|业务员", false},
    {"customer_id", JX_T_ID, true, NULL, JX_KIND_CUSTOMERS, "客户编号", false},
    {"at", JX_T_TIME, true, NULL, N, "联系时间|拜访时间", false},
    {"channel", JX_T_ID, true, NULL, N, "方式|联系方式", false},
    {"fields_complete", JX_T_INT, true, NULL, N, "已填字段数", false},
    {"fields_required", JX_T_INT, true, NULL, N, "应填字段数", false},
    {"follow_up_due", JX_T_TIME, true, NULL, N, "跟进期限", false},
    {"follow_up_done_at", JX_T_TIME, false, NULL, N, "跟进完成时间", false},
};

static const struct jx_column reports[] = {
    {"person_id", JX_T_ID, true, NULL, JX_KIND_PEOPLE, "工号", false},
    {"kind", JX_T_ENUM, true, report_kinds, N, "类型|报告类型", false},
    {"period", JX_T_ID, true, NULL, N, "期间", false},
    {"submitted_at", JX_T_TIME, true, NULL, N, "提交时间", false},
};

const struct jx_kind_def jx_kinds[JX_KIND_COUNT] = {
    [JX_KIND_UNITS] = {"units", COLS(units), {0, -1}},
    [JX_KIND_PEOPLE] = {"people", COLS(people), {0, -1}},
    [JX_KIND_CUSTOMERS] = {"customers", COLS(customers), {0, -1}},
    [JX_KIND_CONTRACTS] = {"contracts", COLS(contracts), {0, -1}},
    [JX_KIND_PAYMENTS] = {"payments", COLS(payments), {0, -1}},
    [JX_KIND_RETURNS] = {"returns", COLS(returns), {0, -1}},
    [JX_KIND_TARGETS] = {"targets", COLS(targets), {0, 1, 2, -1}},
    [JX_KIND_ATTENDANCE] = {"attendance", COLS(attendance), {0, 1, 2, -1}},
    [JX_KIND_RATINGS] = {"ratings", COLS(ratings), {0, 1, 2, 3, 4, 6, -1}},
    [JX_KIND_VIOLATIONS] = {"violations", COLS(violations), {0, 1, 2, 4, -1}},
    [JX_KIND_COMPLAINTS] = {"complaints", COLS(complaints), {0, -1}},
    [JX_KIND_EVENTS] = {"events", COLS(events), {0, 1, 2, -1}},
    [JX_KIND_COSTS] = {"costs", COLS(costs), {0, -1}},
    [JX_KIND_REPORTS] = {"reports", COLS(reports), {0, 1, 2, -1}},
    [JX_KIND_CONTACTS] = {"contacts", COLS(contacts), {0, 1, 2, -1}},
};

enum jx_kind jx_kind_by_name(const char *name)
{
    for (int k = 0; k < JX_KIND_COUNT; k++)
        if (!strcmp(jx_kinds[k].name, name))
            return (enum jx_kind)k;
    return JX_KIND_NONE;
}

int jx_kind_column(enum jx_kind kind, const char *name, size_t len)
{
    const struct jx_kind_def *k = &jx_kinds[kind];
    for (size_t c = 0; c < k->ncolumns; c++) {
        const struct jx_column *col = &k->columns[c];
        if (strlen(col->name) == len && !memcmp(col->name, name, len))
            return (int)c;
        for (const char *a = col->aliases; a && *a;) {
            const char *bar = strchr(a, '|');
            size_t alen = bar ? (size_t)(bar - a) : strlen(a);
            if (alen == len && !memcmp(a, name, len))
                return (int)c;
            a = bar ? bar + 1 : a + alen;
        }
    }
    return -1;
}
