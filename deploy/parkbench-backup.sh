#!/bin/sh
# The nightly backup of a ParkBench PostgreSQL store (parkbench-backup.timer runs it
# through parkbench-backup.service; docs/deploy.md 备份与恢复; tests/test_pg_backup.py
# runs it and restores what it wrote).
#
# pg_dump -Fc takes one consistent snapshot while the app servers run (uploads,
# accounts and every other table of the database). The file is written under a
# temporary name and renamed when complete, so a dump cut short never looks like
# a backup. Files older than PARKBENCH_BACKUP_DAYS days are removed.
set -eu
: "${PARKBENCH_DB:?PARKBENCH_DB (the postgresql:// URL) is not set}"
dir=${PARKBENCH_BACKUP_DIR:-/var/backups/parkbench}
days=${PARKBENCH_BACKUP_DAYS:-30}
file="$dir/parkbench-$(date +%Y%m%d-%H%M%S).dump"

mkdir -p "$dir"
pg_dump -Fc --dbname="$PARKBENCH_DB" -f "$file.partial"
mv "$file.partial" "$file"
find "$dir" -name 'parkbench-*.dump' -mtime +"$days" -delete
echo "$file"
