/* The value of one hexadecimal digit, for the programs' parsers (the JSON
 * parser's \u escapes, the rscp tool's hex input and spec escapes). */
#ifndef RSCP_COMMON_HEX_DIGIT_H
#define RSCP_COMMON_HEX_DIGIT_H

/* 0..15 for '0'-'9', 'a'-'f' and 'A'-'F'; -1 for any other byte. */
static inline int hex_digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
