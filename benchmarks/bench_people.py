"""Benchmark: a province's import of 150 people (issue #20), each given a one-time password,
with the production password hashers: the one-time hasher (PBKDF2-SHA256, 1,000 iterations,
salted; chiso.web.accounts.hashers) against Argon2, the hasher it replaced for one-time
passwords. Both runs in the same process, on a throwaway SQLite database, CPU time and wall time.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_people.py [--people 150]
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=150)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="chiso-bench-people-")
    os.environ.update(
        {
            "CHISO_DATA_DIR": data,
            "CHISO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": f"sqlite:///{data}/db.sqlite3",
            "DJANGO_SETTINGS_MODULE": "chiso.web.settings",
        }
    )
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from chiso.units.communes import find_province, official_communes
    from chiso.web.accounts import one_time
    from chiso.web.accounts.models import Role
    from chiso.web.cycles import province_units

    call_command("migrate", verbosity=0, interactive=False)
    admin = User.objects.create_user("admin")
    Role.objects.create(user=admin, kind=Role.ADMIN)
    province = find_province("Phú Thọ")
    assert province is not None
    communes = official_communes(province)

    def people(prefix: str) -> province_units.Upload:
        rows = "".join(
            f"{prefix}-{i},Cán bộ {i},{prefix}{i}@example.vn,"
            f"{communes[i % len(communes)].code},officer\n"
            for i in range(args.people)
        )
        return province_units.Upload(
            ("username,full name,email,unit code,role\n" + rows).encode(), "nguoi.csv"
        )

    def timed(prefix: str) -> tuple[float, float]:
        upload = people(prefix)
        cpu, wall = time.process_time(), time.perf_counter()
        load = province_units.load_province(admin, province.code, None, upload)
        assert len([p for p in load.people if p.password]) == args.people
        return time.process_time() - cpu, time.perf_counter() - wall

    province_units.load_province(admin, province.code, None, None)  # the communes, once
    fast = timed("nhanh")
    one_time.HASHER = "argon2"  # the hasher used before, for comparison in the same process
    slow = timed("cham")
    print(f"{args.people} people, one-time password hasher:")
    print(f"  one-time (PBKDF2, 1000 it.): cpu {fast[0]:.2f} s, wall {fast[1]:.2f} s")
    print(f"  argon2 (before):            cpu {slow[0]:.2f} s, wall {slow[1]:.2f} s")
    print(f"  ratio (cpu): {slow[0] / fast[0]:.0f}×")


if __name__ == "__main__":
    main()
