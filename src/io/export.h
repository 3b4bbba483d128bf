/*
 * export.h - the stored rows of a kind in its import format (jixiao export).
 */
#ifndef JX_EXPORT_H
#define JX_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"
#include "store/model.h"
#include "store/store.h"

/*
 * Write every row of kind to path with the import headers: CSV, or an
 * Excel workbook of one sheet named after the kind when xlsx.  *rows gets
 * how many rows were written.
 */
enum jx_status jx_export(struct jx_store *st, enum jx_kind kind, const char *path, bool xlsx,
                         size_t *rows, struct jx_err *err) JX_MUST_USE;

#endif
