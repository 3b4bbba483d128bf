/*
 * xlsx_out.h - results as an Excel workbook (libxlsxwriter).
 */
#ifndef JX_XLSX_OUT_H
#define JX_XLSX_OUT_H

#include "core/status.h"
#include "store/store.h"

/*
 * Write the stored run rec to path as .xlsx: sheet 工资 Pay (money as numbers
 * in a yuan format, a totals row), 考核 Scores, 计算过程 Trace (when rec was
 * read with traces).  Headers frozen, columns sized.
 */
enum jx_status jx_results_xlsx(const char *path, const struct jx_run_record *rec,
                               struct jx_err *err) JX_MUST_USE;

#endif
