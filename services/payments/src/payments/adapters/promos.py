"""Promo codes in Postgres; a redemption is a guarded counter the database keeps in bounds."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import promo_codes
from payments.domain.pricing import Promo, PromoKind
from shared.db import AnyRow, DbConnection


async def add(session: DbConnection, **values: Any) -> bool:
    """False if the code exists already."""
    result = await session.execute(
        insert(promo_codes)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(promo_codes.c.code)
    )
    return result.first() is not None


async def get_row(session: DbConnection, code: str) -> AnyRow | None:
    query = select(promo_codes).where(promo_codes.c.code == code)
    return (await session.execute(query)).first()


def to_promo(row: AnyRow) -> Promo:
    return Promo(
        code=row.code,
        kind=PromoKind(row.kind),
        percent_off=row.percent_off,
        amount_off=row.amount_off,
        currency=row.currency,
        expires_at=row.expires_at,
        product_id=row.product_id,
        mentor_id=row.mentor_id,
    )


async def redeem(session: DbConnection, code: str) -> bool:
    """Take one redemption; False when none is left. Concurrent takers queue on the row lock."""
    result = await session.execute(
        update(promo_codes)
        .where(
            promo_codes.c.code == code,
            (promo_codes.c.max_redemptions.is_(None))
            | (promo_codes.c.redeemed < promo_codes.c.max_redemptions),
        )
        .values(redeemed=promo_codes.c.redeemed + 1)
        .returning(promo_codes.c.code)
    )
    return result.first() is not None


async def give_back(session: DbConnection, code: str) -> None:
    await session.execute(
        update(promo_codes)
        .where(promo_codes.c.code == code, promo_codes.c.redeemed > 0)
        .values(redeemed=promo_codes.c.redeemed - 1)
    )


async def list_rows(session: DbConnection, *, limit: int, offset: int) -> list[AnyRow]:
    query = select(promo_codes).order_by(promo_codes.c.created_at.desc(), promo_codes.c.code)
    return list(await session.execute(query.limit(limit).offset(offset)))
