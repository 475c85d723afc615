"""Promo codes in Postgres; a redemption is a guarded counter the database keeps in bounds."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from payments.adapters.tables import promo_codes
from payments.domain.pricing import Promo, PromoKind
from shared.db import AnyRow, DbConnection


async def list_rows(connection: DbConnection, *, limit: int, offset: int) -> list[AnyRow]:
    query = select(promo_codes).order_by(promo_codes.c.created_at.desc(), promo_codes.c.code)
    return list(await connection.execute(query.limit(limit).offset(offset)))


class SqlPromos:
    """Promo codes in SQL on one unit of work's connection (`PromoRepository`)."""

    def __init__(self, connection: DbConnection) -> None:
        self._connection = connection

    async def add(self, **values: Any) -> bool:
        """False if the code exists already."""
        result = await self._connection.execute(
            insert(promo_codes)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["code"])
            .returning(promo_codes.c.code)
        )
        return result.first() is not None

    async def get(self, code: str) -> Promo | None:
        query = select(promo_codes).where(promo_codes.c.code == code)
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
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

    async def redeem(self, code: str) -> bool:
        """Take one redemption; False when none is left. Concurrent takers queue on the row lock."""
        result = await self._connection.execute(
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

    async def give_back(self, code: str) -> None:
        await self._connection.execute(
            update(promo_codes)
            .where(promo_codes.c.code == code, promo_codes.c.redeemed > 0)
            .values(redeemed=promo_codes.c.redeemed - 1)
        )
