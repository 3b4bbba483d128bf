/* cmd_version.c - jixiao version */
#include <stdio.h>

#include "cli/cli.h"

int jx_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("jixiao %s\n", JX_VERSION);
    return 0;
}
