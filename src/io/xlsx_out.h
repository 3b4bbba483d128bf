/*
 * xlsx_out.h - results as an Excel workbook (libxlsxwriter).
 */
#ifndef JX_XLSX_OUT_H
#define JX_XLSX_OUT_H

#include <stdint.h>

#include "core/status.h"
#include "store/store.h"

/*
 * An amount in fen as the number an Excel cell holds (yuan, a double): the
 * one place money becomes floating point, on its way out.  Every amount
 * below 2^53 fen is a double within half a fen of it, so the cell shows and
 * reads back (Excel keeps 15 significant digits) the exact fen.
 */
double jx_xlsx_yuan(int64_t fen);

/*
 * Write the stored run rec to path as .xlsx: sheet 工资 Pay (money as numbers
 * in a yuan format, a totals row), 考核 Scores, 计算过程 Trace (when rec was
 * read with traces).  Headers frozen, columns sized.
 */
enum jx_status jx_results_xlsx(const char *path, const struct jx_run_record *rec,
                               struct jx_err *err) JX_MUST_USE;

#endif
