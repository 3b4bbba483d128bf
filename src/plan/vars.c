/*
 * vars.c - the table of built-in plan variables.  Money is in yuan, rates are
 * fractions (0.85 for 85%), booleans 0 or 1.  "In P" means dated within the
 * period being run; "to date" means up to the period's last day.
 */
#include "vars.h"

#include <string.h>

const struct jx_var_def jx_vars[JX_V_COUNT] = {
    [JX_V_BASE_SALARY] = {"base_salary", JX_VU_MONEY, "基本工资", "base salary",
                          "monthly base salary (people.base_salary)"},
    [JX_V_ALLOWANCE] = {"allowance", JX_VU_MONEY, "岗位津贴", "position allowance",
                        "monthly position allowance (people.allowance, 0 if none)"},
    [JX_V_IS_REP] = {"is_rep", JX_VU_BOOL, "业务员", "is a rep", "1 when the role is rep"},
    [JX_V_IS_MANAGER] = {"is_manager", JX_VU_BOOL, "业务经理", "is a manager",
                         "1 when the role is manager"},
    [JX_V_IS_DIRECTOR] = {"is_director", JX_VU_BOOL, "营销总监", "is a director",
                          "1 when the role is director"},
    [JX_V_IS_ENGINEER] = {"is_engineer", JX_VU_BOOL, "售后工程师", "is an engineer",
                          "1 when the role is engineer"},
    [JX_V_ON_PROBATION] = {"on_probation", JX_VU_BOOL, "试用期", "on probation",
                           "1 when the status is probation"},
    [JX_V_MONTHS_OF_SERVICE] = {"months_of_service", JX_VU_COUNT, "在职月数",
                                "month of service",
                                "1 in the month of the hire date, 2 in the next, ...; "
                                "0 before it (the period's last month counts)"},
    [JX_V_BUSINESS_SINCE_HIRE] = {"business_since_hire", JX_VU_BOOL, "入职以来有业务",
                                  "business since hire",
                                  "1 when a contract credited to the person was signed "
                                  "between the hire date and the period's end"},
    [JX_V_CARRY_IN] = {"carry_in", JX_VU_MONEY, "结转扣款", "deduction carried in",
                       "clawback still to deduct, carried from the previous period"},
    [JX_V_PERIOD_IS_MONTH] = {"period_is_month", JX_VU_BOOL, "月度", "monthly run",
                              "1 when the run is for a month"},
    [JX_V_PERIOD_IS_QUARTER] = {"period_is_quarter", JX_VU_BOOL, "季度", "quarterly run",
                                "1 when the run is for a quarter"},
    [JX_V_PERIOD_IS_YEAR] = {"period_is_year", JX_VU_BOOL, "年度", "yearly run",
                             "1 when the run is for a year"},
    [JX_V_SALES] = {"sales", JX_VU_MONEY, "销售额", "sales",
                    "revenue of contracts signed in P minus returns dated in P"},
    [JX_V_SALES_FULLY_COLLECTED] = {"sales_fully_collected", JX_VU_MONEY, "回款完成销售额",
                                    "fully collected sales",
                                    "revenue less returns of contracts that became fully "
                                    "collected in P (credit-approved: signed in P), minus "
                                    "later returns dated in P (不欠账)"},
    [JX_V_REVENUE_SIGNED] = {"revenue_signed", JX_VU_MONEY, "签约额", "revenue signed",
                             "revenue of contracts signed in P"},
    [JX_V_RETURNS] = {"returns", JX_VU_MONEY, "退货额", "returns",
                      "returns dated in P"},
    [JX_V_CONTRACTS_SIGNED] = {"contracts_signed", JX_VU_COUNT, "签约合同数",
                               "contracts signed", "contracts signed in P (split: its share)"},
    [JX_V_COLLECTED] = {"collected", JX_VU_MONEY, "回款额", "collected",
                        "collected to the end of P minus collected to the end of the previous "
                        "period (deposits from acceptance, refunds negative)"},
    [JX_V_COLLECTION_RATE] = {"collection_rate", JX_VU_RATE, "回款率", "collection rate",
                              "collected ÷ (receivable at the start of P + revenue signed in "
                              "P); 0 when that is 0"},
    [JX_V_RECEIVABLE_START] = {"receivable_start", JX_VU_MONEY, "期初应收", "receivable at start",
                               "revenue less returns less collected, at the start of P"},
    [JX_V_NEW_CUSTOMERS] = {"new_customers", JX_VU_COUNT, "新客户数", "new customers",
                            "customers whose first contract is signed in P with revenue of "
                            "at least the plan's new_customer_threshold (default 10000)"},
    [JX_V_AGENTS_SIGNED] = {"agents_signed", JX_VU_COUNT, "签约代理商数", "agents signed",
                            "agents and distributors owned by the person with signed_date in P"},
    [JX_V_TEAM_COLLECTED] = {"team_collected", JX_VU_MONEY, "团队回款额", "team collections",
                             "collected in P by everyone reporting to the person, directly or "
                             "indirectly"},
    [JX_V_TEAM_SALES] = {"team_sales", JX_VU_MONEY, "团队销售额", "team sales",
                         "sales in P of the person and everyone reporting to them"},
    [JX_V_VIOLATIONS] = {"violations", JX_VU_COUNT, "违规次数", "violations",
                         "violation records dated in P, any level, and late reports"},
    [JX_V_MINOR_VIOLATIONS] = {"minor_violations", JX_VU_COUNT, "轻微违规", "minor violations",
                               "minor violation records dated in P, and late reports"},
    [JX_V_MEDIUM_VIOLATIONS] = {"medium_violations", JX_VU_COUNT, "中等违规",
                                "medium violations", "medium violation records dated in P"},
    [JX_V_SEVERE_VIOLATIONS] = {"severe_violations", JX_VU_COUNT, "严重违规",
                                "severe violations", "severe violation records dated in P"},
    [JX_V_VIOLATION_POINTS] = {"violation_points", JX_VU_NUMBER, "违规扣分", "violation points",
                               "sum of the points column of violations dated in P (rows "
                               "without points count 0)"},
    [JX_V_ABSENCES] = {"absences", JX_VU_COUNT, "旷职次数", "absences",
                       "attendance records of kind absent dated in P"},
    [JX_V_PERSONAL_LEAVES] = {"personal_leaves", JX_VU_COUNT, "事假次数", "personal leaves",
                              "attendance records of kind personal_leave dated in P"},
    [JX_V_LATES] = {"lates", JX_VU_COUNT, "迟到早退次数", "late or early leave",
                    "attendance records of kind late or early_leave dated in P"},
    [JX_V_COMPLAINTS] = {"complaints", JX_VU_COUNT, "投诉数", "complaints",
                         "complaints opened in P whose first-contact owner is the person"},
    [JX_V_CUSTOMERS_SERVED] = {"customers_served", JX_VU_COUNT, "服务客户数",
                               "customers served",
                               "distinct customers with a contract credited to the person "
                               "signed in P, or a payment dated in P on such a contract"},
    [JX_V_COMPLAINT_RATE] = {"complaint_rate", JX_VU_RATE, "客户投诉率", "complaint rate",
                             "complaints ÷ customers_served; 0 with no complaints, 1 with "
                             "complaints and nobody served"},
    [JX_V_TICKETS] = {"tickets", JX_VU_COUNT, "工单数", "tickets",
                      "tickets (complaints) opened in P owned by the person"},
    [JX_V_REPAIR_COMPLETION_RATE] = {"repair_completion_rate", JX_VU_RATE, "维修完成率",
                                     "repair completion rate",
                                     "of the person's tickets opened in P, the share resolved "
                                     "by the end of P; 1 when there are none"},
    [JX_V_CSAT] = {"csat", JX_VU_NUMBER, "客户满意度", "satisfaction",
                   "mean CSAT (1-5) of the person's tickets opened in P that have one; 0 if none"},
    [JX_V_TEAM_TICKETS] = {"team_tickets", JX_VU_COUNT, "团队工单数", "team tickets",
                           "tickets opened in P owned by anyone in the person's unit or below"},
    [JX_V_TEAM_REPAIR_COMPLETION_RATE] = {"team_repair_completion_rate", JX_VU_RATE,
                                          "团队维修完成率", "team repair completion rate",
                                          "of the team's tickets opened in P, the share "
                                          "resolved by the end of P; 1 when there are none"},
    [JX_V_TEAM_CSAT] = {"team_csat", JX_VU_NUMBER, "团队客户满意度", "team satisfaction",
                        "mean CSAT (1-5) of the team's tickets opened in P; 0 if none rated"},
    [JX_V_TEAM_COMPLAINT_RATE] = {"team_complaint_rate", JX_VU_RATE, "团队投诉率",
                                  "team complaint rate",
                                  "of the team's tickets opened in P that were rated, the "
                                  "share with CSAT 3 or less (dissatisfied); 0 if none rated"},
    [JX_V_HAS_SCORE] = {"has_score", JX_VU_BOOL, "有考核结果", "has a score",
                        "1 when a scorecard plan of the same run scored the person"},
    [JX_V_KPI_SCORE] = {"kpi_score", JX_VU_NUMBER, "KPI得分", "KPI score",
                        "the KPI score of the person's scorecard in the same run (full precision)"},
    [JX_V_QUALITATIVE_SCORE] = {"qualitative_score", JX_VU_NUMBER, "定性得分",
                                "qualitative score",
                                "the qualitative score of the person's scorecard in the same run"},
    [JX_V_FINAL_SCORE] = {"final_score", JX_VU_NUMBER, "最终得分", "final score",
                          "the final score (rounded to 2 decimals) of the same run's scorecard"},
    [JX_V_GRADE_S] = {"grade_s", JX_VU_BOOL, "S级", "grade S",
                      "1 when the calibrated grade of the same run is S"},
    [JX_V_GRADE_A] = {"grade_a", JX_VU_BOOL, "A级", "grade A", "1 when the calibrated grade is A"},
    [JX_V_GRADE_B] = {"grade_b", JX_VU_BOOL, "B级", "grade B", "1 when the calibrated grade is B"},
    [JX_V_GRADE_C] = {"grade_c", JX_VU_BOOL, "C级", "grade C", "1 when the calibrated grade is C"},
    [JX_V_GRADE_D] = {"grade_d", JX_VU_BOOL, "D级", "grade D", "1 when the calibrated grade is D"},
    [JX_V_MEDIUM_VIOLATION_POINTS] = {"medium_violation_points", JX_VU_NUMBER, "中等违规扣分",
                                      "medium violation points",
                                      "sum over medium violations dated in P of their points, "
                                      "10 for one recorded without points"},
    [JX_V_LATE_REPORTS] = {"late_reports", JX_VU_COUNT, "迟交报告", "late reports",
                           "weekly reports submitted after the next Monday 10:00 and monthly "
                           "ones after the 5th of the next month, due in P; each also counts "
                           "as a minor violation"},
    [JX_V_CONTACTS] = {"contacts", JX_VU_COUNT, "客户联系次数", "contacts",
                       "contacts with customers the person recorded in P"},
    [JX_V_INFO_COMPLETENESS] = {"info_completeness", JX_VU_RATE, "资料完整率",
                                "info completeness",
                                "over the person's contacts in P: complete required fields ÷ "
                                "required fields; 1 when there are none"},
    [JX_V_FOLLOW_UP_TIMELINESS] = {"follow_up_timeliness", JX_VU_RATE, "跟进及时率",
                                   "follow-up timeliness",
                                   "of the person's follow-ups due in P, the share done by their "
                                   "due time; 1 when none were due"},
    [JX_V_SALES_TRAILING_AVG] = {"sales_trailing_avg", JX_VU_MONEY, "前三月平均销售额",
                                 "trailing 3-month average sales",
                                 "the mean of sales over the 3 months before P (monthly runs; "
                                 "0 otherwise), for the alert of domain.md §8"},
    [JX_V_SALES_PREV] = {"sales_prev", JX_VU_MONEY, "上期销售额", "sales, previous period",
                         "sales in the period before P (of the same kind)"},
    [JX_V_SALES_LAST_YEAR] = {"sales_last_year", JX_VU_MONEY, "去年同期销售额",
                              "sales, same period last year",
                              "sales in the same period one year before P"},
    [JX_V_GROWTH_QOQ] = {"growth_qoq", JX_VU_RATE, "环比增长率", "growth on the previous period",
                         "sales ÷ sales_prev - 1; 0 when sales_prev is not above 0"},
    [JX_V_GROWTH_YOY] = {"growth_yoy", JX_VU_RATE, "同比增长率", "growth on last year",
                         "sales ÷ sales_last_year - 1; 0 when sales_last_year is not above 0"},
    [JX_V_IS_TEAM] = {"is_team", JX_VU_BOOL, "团队", "a team",
                      "1 when the subject scored is a team (scorecard subject: team); its sums "
                      "are over everyone in the unit and below it"},
    [JX_V_IS_AGENT] = {"is_agent", JX_VU_BOOL, "代理商", "an agent company",
                       "1 when the subject scored is an agent or distributor (subject: agent); "
                       "its sales are those of the contracts it is the customer of"},
    [JX_V_COMMISSION] = {"commission", JX_VU_MONEY, "销售提成", "commission",
                         "two-tier commission payable in P: per line, (to date at the end of "
                         "P - to date at the end of the previous period) x multiplier, rounded "
                         "to the fen, summed"},
    [JX_V_ABOVE_PRICE_SHARE] = {"above_price_share", JX_VU_MONEY, "超价分成",
                                "above-price share",
                                "share of the above-price part after VAT of contracts paying "
                                "in P, rounded once per contract and person"},
};

const char *const jx_var_families[JX_VF_COUNT] = {"rating.", "has_rating.", "target.",
                                                  "has_target.", "events.", "item."};

int jx_var_lookup(const char *name, unsigned long len)
{
    for (int i = 0; i < JX_V_COUNT; i++)
        if (strlen(jx_vars[i].name) == len && !memcmp(jx_vars[i].name, name, len))
            return i;
    return -1;
}
