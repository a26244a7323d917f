# Writes a zip archive with zipfile, with fixed member dates so that every run writes the same bytes.
import zipfile

with zipfile.ZipFile("out.zip", "w", compression=zipfile.ZIP_DEFLATED) as z:
    for i in range(20):
        info = zipfile.ZipInfo("file%02d.txt" % i, date_time=(2020, 1, 1, 0, 0, 0))
        z.writestr(info, "".join("line %d of file %d\n" % (j, i) for j in range(1000)))
