/** SQLSTATE raised by the conversion functions when no exchange rate is in force (or a currency is unknown). */
export const MISSING_RATE_SQLSTATE = "KHR01";

const SEED: Array<[string, string, string, number]> = [
  ["CNY", "Chinese yuan", "人民币", 2],
  ["USD", "US dollar", "美元", 2],
  ["EUR", "Euro", "欧元", 2],
  ["HKD", "Hong Kong dollar", "港币", 2],
  ["JPY", "Japanese yen", "日元", 0],
  ["GBP", "Pound sterling", "英镑", 2],
  ["TWD", "New Taiwan dollar", "新台币", 2],
  ["KRW", "South Korean won", "韩元", 0],
  ["SGD", "Singapore dollar", "新加坡元", 2],
  ["MOP", "Macanese pataca", "澳门元", 2],
  ["AUD", "Australian dollar", "澳大利亚元", 2],
  ["CAD", "Canadian dollar", "加拿大元", 2],
  ["CHF", "Swiss franc", "瑞士法郎", 2],
  ["THB", "Thai baht", "泰铢", 2],
  ["MYR", "Malaysian ringgit", "马来西亚林吉特", 2],
  ["VND", "Vietnamese dong", "越南盾", 0],
  ["INR", "Indian rupee", "印度卢比", 2],
  ["RUB", "Russian ruble", "俄罗斯卢布", 2],
  ["AED", "UAE dirham", "阿联酋迪拉姆", 2],
  ["KWD", "Kuwaiti dinar", "科威特第纳尔", 3],
];

// Multiplying by 1 with 20 decimals before dividing keeps 20+ decimals in the quotient (numeric division otherwise
// keeps as few as 16 significant digits, which loses cents of very large amounts).
export const WIDE = `1.${"0".repeat(20)}`;

const seedSql = SEED.map(
  ([code, en, zh, decimals]) => `('${code}', '${JSON.stringify({ en, zh })}'::jsonb, ${decimals})`,
).join(",\n  ");

/**
 * Statements of system step 6: currencies, the base currency, dated exchange rates and the conversion functions.
 * Rounding is exact numeric arithmetic (no floats): half_up rounds ties away from zero, half_even to the even digit.
 */
export const CURRENCY_STEP_SQL: string[] = [
  `CREATE TABLE kehu.currencies (
      code text PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
      label jsonb NOT NULL,
      decimals integer NOT NULL CHECK (decimals BETWEEN 0 AND 6),
      rounding text NOT NULL DEFAULT 'half_up' CHECK (rounding IN ('half_up', 'half_even')),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  `INSERT INTO kehu.currencies (code, label, decimals) VALUES\n  ${seedSql}`,
  `CREATE TABLE kehu.currency_settings (
      id integer PRIMARY KEY CHECK (id = 1),
      base_currency text NOT NULL REFERENCES kehu.currencies(code),
      updated_at timestamptz NOT NULL DEFAULT now(),
      updated_by text
    )`,
  `INSERT INTO kehu.currency_settings (id, base_currency) VALUES (1, 'CNY')`,
  `CREATE TABLE kehu.exchange_rates (
      id bigserial PRIMARY KEY,
      currency text NOT NULL REFERENCES kehu.currencies(code),
      valid_from date NOT NULL,
      rate numeric NOT NULL CHECK (rate > 0),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT exchange_rates_currency_day UNIQUE (currency, valid_from)
    )`,
  `CREATE FUNCTION kehu.base_currency() RETURNS text LANGUAGE sql STABLE AS $$
      SELECT base_currency FROM kehu.currency_settings WHERE id = 1
    $$`,
  `CREATE FUNCTION kehu.round_money(value numeric, decimals integer, mode text) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE AS $$
    DECLARE
      scaled numeric;
      whole numeric;
      rest numeric;
    BEGIN
      IF value IS NULL THEN RETURN NULL; END IF;
      IF mode = 'half_up' THEN RETURN round(value, decimals); END IF;
      scaled := value * (10::numeric ^ decimals);
      whole := trunc(scaled);
      rest := abs(scaled - whole);
      IF rest > 0.5 OR (rest = 0.5 AND mod(whole, 2) <> 0) THEN whole := whole + sign(scaled); END IF;
      RETURN round(whole * ('1e-' || decimals)::numeric, decimals);
    END $$`,
  `CREATE FUNCTION kehu.exchange_rate(code text, on_date date) RETURNS numeric LANGUAGE plpgsql STABLE AS $$
    DECLARE
      found numeric;
    BEGIN
      IF code = kehu.base_currency() THEN RETURN 1; END IF;
      SELECT r.rate INTO found FROM kehu.exchange_rates r
        WHERE r.currency = code AND r.valid_from <= on_date ORDER BY r.valid_from DESC LIMIT 1;
      IF found IS NULL THEN
        RAISE EXCEPTION 'No exchange rate for % in force on % (add one valid from that day or earlier)', code, on_date
          USING ERRCODE = '${MISSING_RATE_SQLSTATE}', DETAIL = code || ' ' || on_date::text;
      END IF;
      RETURN found;
    END $$`,
  `CREATE FUNCTION kehu.missing_rate(code text, on_date date) RETURNS numeric LANGUAGE plpgsql STABLE AS $$
    BEGIN
      RAISE EXCEPTION 'No exchange rate for % in force on % (add one valid from that day or earlier)', code, on_date
        USING ERRCODE = '${MISSING_RATE_SQLSTATE}', DETAIL = code || ' ' || on_date::text;
    END $$`,
  `CREATE FUNCTION kehu.convert_money(amount numeric, from_currency text, to_currency text, on_date date)
    RETURNS numeric LANGUAGE plpgsql STABLE AS $$
    DECLARE
      target kehu.currencies%ROWTYPE;
    BEGIN
      IF amount IS NULL OR from_currency IS NULL THEN RETURN NULL; END IF;
      SELECT * INTO target FROM kehu.currencies WHERE code = to_currency;
      IF NOT FOUND THEN
        RAISE EXCEPTION 'Unknown currency %', to_currency USING ERRCODE = '${MISSING_RATE_SQLSTATE}';
      END IF;
      IF from_currency = to_currency THEN RETURN kehu.round_money(amount, target.decimals, target.rounding); END IF;
      RETURN kehu.round_money(
        amount * kehu.exchange_rate(from_currency, on_date) * ${WIDE} / kehu.exchange_rate(to_currency, on_date),
        target.decimals, target.rounding);
    END $$`,
  `CREATE FUNCTION kehu.to_base(amount numeric, currency text, on_date date) RETURNS numeric
    LANGUAGE sql STABLE AS $$
      SELECT kehu.convert_money(amount, currency, kehu.base_currency(), on_date)
    $$`,
];
