import { AppError } from "@kehu/core";
import type { Context } from "hono";
import { Hono } from "hono";
import {
  createCurrency,
  getBaseCurrency,
  getCurrency,
  listCurrencies,
  setBaseCurrency,
  updateCurrency,
} from "../../currency/currencies";
import { type CurrencyInputKind, parseCurrencyInput } from "../../currency/currency-input";
import { createRate, deleteRate, listRates, updateRate } from "../../currency/exchange-rates";
import type { EngineContext } from "../../engine-context";
import type { AppEnv } from "../app-env";
import { readJsonBody } from "../read-json-body";

/**
 * `/api/admin/currencies`, `/api/admin/exchange-rates`, `/api/admin/base-currency`: any signed-in user reads
 * (forms and reports need the codes and rates), only administrators write.
 */
export function adminCurrencyRoutes(ctx: EngineContext): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const knex = ctx.db.knex;
  const admin = (c: Context<AppEnv>) => {
    if (!c.get("principal")?.isAdmin)
      throw new AppError("forbidden", "Only administrators may change currencies and exchange rates");
  };
  const input = async <T>(c: Context<AppEnv>, kind: CurrencyInputKind) => {
    admin(c);
    return parseCurrencyInput<T>(kind, await readJsonBody(c));
  };

  routes.get("/currencies", async (c) => c.json({ data: await listCurrencies(knex) }));
  routes.get("/currencies/:code", async (c) => c.json(await getCurrency(knex, c.req.param("code"))));
  routes.post("/currencies", async (c) => {
    const currency = await createCurrency(knex, await input(c, "currencyCreate"));
    c.header("location", `/api/admin/currencies/${currency.code}`);
    return c.json(currency, 201);
  });
  routes.patch("/currencies/:code", async (c) =>
    c.json(await updateCurrency(knex, c.req.param("code"), await input(c, "currencyPatch"))),
  );

  routes.get("/base-currency", async (c) => c.json(await getBaseCurrency(knex)));
  routes.put("/base-currency", async (c) => {
    const { code } = await input<{ code: string }>(c, "base");
    return c.json(await setBaseCurrency(knex, code, c.get("actor")));
  });

  routes.get("/exchange-rates", async (c) => {
    const query = parseCurrencyInput<{ currency?: string; from?: string; to?: string }>("rateQuery", c.req.query());
    return c.json({ data: await listRates(knex, query) });
  });
  routes.post("/exchange-rates", async (c) => {
    const body = await input<{ currency: string; validFrom: string; rate: string }>(c, "rateCreate");
    const rate = await createRate(knex, body, c.get("actor"));
    c.header("location", `/api/admin/exchange-rates/${rate.id}`);
    return c.json(rate, 201);
  });
  routes.patch("/exchange-rates/:id", async (c) => {
    const body = await input<{ validFrom?: string; rate?: string }>(c, "ratePatch");
    return c.json(await updateRate(knex, c.req.param("id"), body, c.get("actor")));
  });
  routes.delete("/exchange-rates/:id", async (c) => {
    admin(c);
    await deleteRate(knex, c.req.param("id"));
    return c.body(null, 204);
  });
  return routes;
}
