#!/usr/bin/env python3
"""Write a small .xlsx the way Excel does (shared strings, a date style, numbers, an
inline string, a skipped row) with the standard library only: make_xlsx.py OUT.xlsx [bad]"""
import sys
import zipfile

out, bad = sys.argv[1], len(sys.argv) > 2

def esc(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')

strings = []
def sst(s):
    if s not in strings:
        strings.append(s)
    return strings.index(s)

def col(i):
    return chr(ord('A') + i)

def sheet(rows):
    """rows: list of (row_number, [cells]); a cell: str | ('n', text) | ('d', serial) | ('i', str)"""
    x = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, cells in rows:
        x.append('<row r="%d">' % r)
        for c, v in enumerate(cells):
            ref = '%s%d' % (col(c), r)
            if v is None:
                continue
            if isinstance(v, tuple) and v[0] == 'n':
                x.append('<c r="%s"><v>%s</v></c>' % (ref, v[1]))
            elif isinstance(v, tuple) and v[0] == 'd':
                x.append('<c r="%s" s="1"><v>%s</v></c>' % (ref, v[1]))
            elif isinstance(v, tuple) and v[0] == 'i':
                x.append('<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, esc(v[1])))
            else:
                x.append('<c r="%s" t="s"><v>%d</v></c>' % (ref, sst(v)))
        x.append('</row>')
    x.append('</sheetData></worksheet>')
    return '\n'.join(x)

units = sheet([(1, ['id', 'name', 'parent_id', 'kind']),
               (2, ['CO', '示例公司', None, 'company']),
               (3, ['MKT', ('i', '营销中心, 总部'), 'CO', 'center']),
               (4, ['T1', '业务一组', 'MKT', 'team'])])
# 45658 is 2025-01-01, 45900.75 is 2025-08-31 18:00 (a date format: the date); row 4 is
# left out on purpose (a blank line in the CSV)
people = sheet([(1, ['工号', '姓名', 'unit_id', 'role', 'manager_id', '入职日期', 'status',
                     'base_salary', 'allowance']),
                (2, ['M1', '陈经理', 'T1', 'manager', None, ('d', '45658'), 'regular',
                     ('n', '8000'), ('n', '1500.5')]),
                (3, ['P1', '张三', 'T1', 'rep', 'M1', ('d', '45689'), 'probation',
                     ('n', '5000.123' if bad else '5000'), None]),
                (5, ['P2', '李四', 'T1', 'rep', 'M1', ('d', '45900.75'), 'regular',
                     ('n', '4800'), None])])

sst_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
           'uniqueCount="%d">%s</sst>' % (len(strings), len(strings),
                                           ''.join('<si><t>%s</t></si>' % esc(s) for s in strings)))
files = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="单位" sheetId="1" r:id="rId1"/><sheet name="人员" sheetId="2" r:id="rId2"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="worksheet" Target="worksheets/sheet2.xml"/></Relationships>',
    'xl/styles.xml': '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
    'xl/worksheets/sheet1.xml': units,
    'xl/worksheets/sheet2.xml': people,
    'xl/sharedStrings.xml': sst_xml,
}
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for name, text in files.items():
        z.writestr(name, text)
