/*
 * xlsx_out.h - results as an Excel workbook (libxlsxwriter).
 */
#ifndef JX_XLSX_OUT_H
#define JX_XLSX_OUT_H

#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

#include <stdbool.h>

/*
 * An amount in fen as the number an Excel cell holds (yuan, a double): the
 * one place money becomes floating point, on its way out, and no arithmetic
 * is done on it.  Excel keeps 15 significant digits, so only an amount under
 * 10^15 fen (10 trillion yuan) shows and reads back as its exact fen; false
 * for a larger one, which the caller writes as text instead.
 */
bool jx_xlsx_yuan(int64_t fen, double *yuan);

/*
 * Write the stored run rec to path as .xlsx: sheet 工资 Pay (money as numbers
 * in a yuan format, a totals row), 考核 Scores, 计算过程 Trace (when rec was
 * read with traces).  Headers frozen, columns sized.
 */
enum jx_status jx_results_xlsx(const char *path, const struct jx_run_record *rec,
                               struct jx_err *err) JX_MUST_USE;

#endif
