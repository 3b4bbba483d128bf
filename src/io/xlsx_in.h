/*
 * xlsx_in.h - reading an .xlsx sheet for the importer (libzip, expat).
 */
#ifndef JX_XLSX_IN_H
#define JX_XLSX_IN_H

#include <stddef.h>

#include "core/status.h"

/*
 * Sheet want (NULL: the first) of the workbook at path as CSV text in *csv
 * (the caller frees it), line N being the sheet's row N; shared strings,
 * inline strings, numbers as Excel stored them and date serials (by their
 * cells' number formats) as YYYY-MM-DD or YYYY-MM-DD HH:MM.  The sheet's
 * name goes to sheet_name.  A file that is not a workbook, or has no such
 * sheet, is JX_EINPUT.
 */
enum jx_status jx_xlsx_sheet_csv(const char *path, const char *want, char **csv, size_t *len,
                                 char *sheet_name, size_t sheet_size,
                                 struct jx_err *err) JX_MUST_USE;

/* The same for a workbook in memory (name is used in messages). */
enum jx_status jx_xlsx_sheet_csv_mem(const void *data, size_t size, const char *name,
                                     const char *want, char **csv, size_t *len, char *sheet_name,
                                     size_t sheet_size, struct jx_err *err) JX_MUST_USE;

#endif
