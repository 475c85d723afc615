"""bench/load_mix.py's post-checks, read-only SQL on the services' databases: no mentor
double-booked, no pack overdrawn (credits consistent with booking's sessions), every event
published and taken once by each consumer, every delivery once."""

import asyncio
from collections import defaultdict
from typing import Any

import asyncpg


async def fetch(url: str, sql: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetch(sql)
    finally:
        await connection.close()


async def check_double_booking(dbs: dict[str, str]) -> tuple[bool, str]:
    by_status = await fetch(dbs["booking"], "SELECT status, count(*) FROM sessions GROUP BY 1")
    overlaps = (
        await fetch(
            dbs["booking"],
            """
        SELECT count(*) FROM sessions a JOIN sessions b
          ON a.mentor_id = b.mentor_id AND a.session_id < b.session_id
         AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
        WHERE a.status <> 'canceled' AND b.status <> 'canceled'""",
        )
    )[0][0]
    counts = ", ".join(f"{row[0]} {row[1]}" for row in sorted(by_status))
    return overlaps == 0, f"sessions: {counts}; overlapping held pairs of one mentor: {overlaps}"


async def check_packs(dbs: dict[str, str]) -> tuple[bool, str]:
    packs = dbs["packs"]
    total = (
        await fetch(packs, "SELECT count(*), sum(sessions_used), sum(sessions_reserved) FROM packs")
    )[0]
    overdrawn = (
        await fetch(
            packs,
            "SELECT count(*) FROM packs "
            "WHERE sessions_used + sessions_reserved > sessions_total "
            "OR sessions_used < 0 OR sessions_reserved < 0",
        )
    )[0][0]
    inconsistent = (
        await fetch(
            packs,
            """
        SELECT count(*) FROM packs p LEFT JOIN (
            SELECT pack_id, count(*) FILTER (WHERE status = 'reserved') AS reserved,
                   count(*) FILTER (WHERE status = 'consumed') AS consumed
            FROM credits GROUP BY pack_id) c ON c.pack_id = p.id
        WHERE coalesce(c.reserved, 0) <> p.sessions_reserved
           OR coalesce(c.consumed, 0) <> p.sessions_used""",
        )
    )[0][0]
    # Across services: booking's held sessions against packs' credits, per pack.
    sessions = await fetch(
        dbs["booking"],
        """
        SELECT pack_id, count(*) FILTER (WHERE status = 'scheduled') AS reserved,
               count(*) FILTER (WHERE status IN ('completed', 'no_show')
                                   OR (status = 'canceled' AND late)) AS consumed
        FROM sessions GROUP BY pack_id""",
    )
    credits = {
        row[0]: (row[1], row[2])
        for row in await fetch(
            packs,
            """
        SELECT pack_id, count(*) FILTER (WHERE status = 'reserved'),
               count(*) FILTER (WHERE status = 'consumed') FROM credits GROUP BY pack_id""",
        )
    }
    crossed = sum(1 for row in sessions if credits.get(row[0], (0, 0)) != (row[1], row[2]))
    ok = overdrawn == 0 and inconsistent == 0 and crossed == 0
    return ok, (
        f"{total[0]} packs, {total[1]} credits used, {total[2]} reserved; overdrawn "
        f"{overdrawn}; packs whose counters differ from their credits {inconsistent}; "
        f"packs whose booking sessions differ from their credits {crossed}"
    )


async def check_events(dbs: dict[str, str]) -> tuple[bool, str]:
    published: dict[Any, str] = {}
    unpublished = 0
    dead = 0
    inbox: dict[str, set[Any]] = defaultdict(set)
    rows_in = 0
    for url in dbs.values():
        for row in await fetch(url, "SELECT id, subject, published_at FROM outbox"):
            if row[2] is None:
                unpublished += 1
            published[row[0]] = row[1]
        for row in await fetch(url, "SELECT consumer, event_id FROM inbox"):
            inbox[row[0]].add(row[1])  # (consumer, event_id) is the primary key: once at most
            rows_in += 1
        dead += (await fetch(url, "SELECT count(*) FROM dead_letters"))[0][0]
    # A consumer that handled one event of a type must have every event of that type.
    missing = 0
    phantom = 0
    strays: list[str] = []
    for consumer, ids in inbox.items():
        types = {published[i] for i in ids if i in published}
        not_published = [i for i in ids if i not in published]
        phantom += len(not_published)
        strays += [f"{consumer}: {i}" for i in not_published[:3]]
        missing += sum(1 for i, t in published.items() if t in types and i not in ids)
    duplicates = (
        await fetch(
            dbs["notifications"],
            """
        SELECT count(*) FROM (SELECT 1 FROM deliveries GROUP BY event_id, channel, recipient
                              HAVING count(*) > 1) d""",
        )
    )[0][0]
    deliveries = await fetch(
        dbs["notifications"], "SELECT status, count(*) FROM deliveries GROUP BY 1"
    )
    ok = unpublished == 0 and missing == 0 and duplicates == 0 and dead == 0
    stray_list = f" ({', '.join(strays)})" if strays else ""
    return ok, (
        f"{len(published)} outbox events, unpublished {unpublished}; {rows_in} inbox "
        f"rows over {len(inbox)} consumers, missing {missing}, not from any outbox "
        f"{phantom}{stray_list}; dead letters {dead}; deliveries "
        f"{', '.join(f'{r[0]} {r[1]}' for r in sorted(deliveries))}, duplicated "
        f"(event, channel, recipient) {duplicates}"
    )


async def checks(dbs: dict[str, str]) -> bool:
    print("\n== post-checks (read-only SQL on the services' databases)")
    results = []
    for name, check in (
        ("no mentor double-booked", check_double_booking),
        ("no pack overdrawn, credits consistent", check_packs),
        ("every event delivered once", check_events),
    ):
        ok, detail = await check(dbs)
        for _ in range(30):  # consumers may still be catching up: settle before failing
            if ok:
                break
            await asyncio.sleep(1.0)
            ok, detail = await check(dbs)
        results.append(ok)
        print(f"   [{'ok' if ok else 'FAIL'}] {name}: {detail}")
    return all(results)
