/*
 * fuzz_xlsx.c - libFuzzer target for the .xlsx reader (src/io/xlsx_in.c):
 * any bytes as a workbook must give CSV text or a clean JX_EINPUT, never a
 * crash, a hang or a leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/xlsx_in.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *csv = NULL, sheet[128];
    size_t len = 0;
    struct jx_err err;
    jx_err_clear(&err);
    enum jx_status s =
        jx_xlsx_sheet_csv_mem(data, size, "fuzz.xlsx", NULL, &csv, &len, sheet, sizeof sheet, &err);
    if (s == JX_OK) {
        if (!csv || strlen(csv) != len)
            abort(); /* the text must be what the length says */
    } else if (s != JX_EINPUT && s != JX_ENOMEM) {
        abort();
    } else if (!err.msg[0]) {
        abort(); /* a refusal says why */
    }
    free(csv);
    return 0;
}
