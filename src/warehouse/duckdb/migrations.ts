/**
 * @module warehouse/duckdb/migrations
 * Versioned schema migrations. Each entry is frozen once released: a later change to the data model
 * is a new entry, never an edit of an old one, so a database written by any earlier Shopsight can be
 * brought forward step by step. The test in migrations.test.ts checks that the tables after the
 * last migration match schema/tables.ts column for column.
 */

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'canonical tables, quarantine and the import log',
    statements: [
      `CREATE TABLE customers (
        customer_id VARCHAR NOT NULL PRIMARY KEY,
        email VARCHAR,
        first_seen_at TIMESTAMP,
        country VARCHAR,
        attributes JSON
      )`,
      `CREATE TABLE products (
        product_id VARCHAR NOT NULL PRIMARY KEY,
        title VARCHAR,
        description VARCHAR,
        category VARCHAR,
        brand VARCHAR,
        price DECIMAL(18,4),
        currency VARCHAR,
        in_stock BOOLEAN,
        is_merchandise BOOLEAN NOT NULL,
        attributes JSON
      )`,
      `CREATE TABLE orders (
        order_id VARCHAR NOT NULL PRIMARY KEY,
        customer_id VARCHAR,
        ordered_at TIMESTAMP NOT NULL,
        status VARCHAR NOT NULL,
        currency VARCHAR,
        total DECIMAL(18,4),
        discount DECIMAL(18,4),
        channel VARCHAR,
        country VARCHAR,
        payment_method VARCHAR,
        device_id VARCHAR,
        ip_hash VARCHAR
      )`,
      `CREATE TABLE order_items (
        order_id VARCHAR NOT NULL,
        line_no BIGINT NOT NULL,
        product_id VARCHAR NOT NULL,
        quantity DOUBLE NOT NULL,
        unit_price DECIMAL(18,4) NOT NULL,
        discount DECIMAL(18,4)
      )`,
      // No PRIMARY KEY on events: an ART index over tens of millions of ids costs more memory than
      // the import budget allows; the importer keeps event_id unique with an anti-join instead.
      `CREATE TABLE events (
        event_id VARCHAR NOT NULL,
        customer_id VARCHAR,
        anonymous_id VARCHAR,
        session_id VARCHAR,
        type VARCHAR NOT NULL,
        product_id VARCHAR,
        query VARCHAR,
        value DECIMAL(18,4),
        occurred_at TIMESTAMP NOT NULL,
        properties JSON
      )`,
      `CREATE TABLE reviews (
        review_id VARCHAR NOT NULL PRIMARY KEY,
        customer_id VARCHAR,
        product_id VARCHAR NOT NULL,
        rating DOUBLE NOT NULL,
        title VARCHAR,
        body VARCHAR,
        created_at TIMESTAMP,
        verified BOOLEAN
      )`,
      `CREATE TABLE knowledge (
        doc_id VARCHAR NOT NULL PRIMARY KEY,
        kind VARCHAR NOT NULL,
        question VARCHAR,
        answer VARCHAR NOT NULL,
        intent VARCHAR,
        tags VARCHAR
      )`,
      `CREATE TABLE quarantine (
        import_id VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        line BIGINT NOT NULL,
        "column" VARCHAR,
        reason VARCHAR NOT NULL,
        detail VARCHAR NOT NULL,
        raw VARCHAR NOT NULL
      )`,
      `CREATE TABLE imports (
        import_id VARCHAR NOT NULL PRIMARY KEY,
        source VARCHAR NOT NULL,
        preset VARCHAR NOT NULL,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP NOT NULL,
        rows_read BIGINT NOT NULL,
        rows_imported BIGINT NOT NULL,
        rows_quarantined BIGINT NOT NULL,
        summary JSON NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    description: 'model registry',
    statements: [
      // One row per trained model (schema/models.ts). The artifact is the packed typed arrays of
      // ml/artifact.ts; keeping it in the database keeps a store to one file that moves as a whole.
      `CREATE TABLE models (
        model_id VARCHAR NOT NULL PRIMARY KEY,
        task VARCHAR NOT NULL,
        version INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        trained_on JSON NOT NULL,
        params JSON NOT NULL,
        metrics JSON NOT NULL,
        status VARCHAR NOT NULL CHECK (status IN ('candidate', 'promoted', 'retired')),
        artifact BLOB NOT NULL,
        UNIQUE (task, version)
      )`,
      // The customer scores of `shopsight predict customers` (schema/predictions.ts); replaced as a
      // whole on every run, so it always holds one consistent scoring.
      `CREATE TABLE customer_predictions (
        customer_id VARCHAR NOT NULL PRIMARY KEY,
        as_of TIMESTAMP NOT NULL,
        churn_probability DOUBLE NOT NULL,
        churn_risk VARCHAR NOT NULL CHECK (churn_risk IN ('low', 'medium', 'high')),
        churn_horizon_days INTEGER NOT NULL,
        purchase_probability DOUBLE NOT NULL,
        purchase_horizon_days INTEGER NOT NULL,
        p_alive DOUBLE NOT NULL,
        expected_orders_365d DOUBLE NOT NULL,
        expected_spend_365d DOUBLE NOT NULL,
        clv_365d DOUBLE NOT NULL,
        spend_tier VARCHAR NOT NULL CHECK (spend_tier IN ('low', 'medium', 'high')),
        next_order_at TIMESTAMP,
        churn_reasons JSON NOT NULL,
        purchase_reasons JSON NOT NULL,
        models JSON NOT NULL,
        predicted_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 3,
    description: 'order status history (point-in-time order status)',
    statements: [
      // Features "as of" a cutoff read the status an order had then, not the one it has now: a
      // pre-cutoff order returned after the cutoff was a sale at the cutoff.
      `ALTER TABLE orders ADD COLUMN status_changed_at TIMESTAMP`,
      `CREATE TABLE order_status_history (
        order_id VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL,
        PRIMARY KEY (order_id, changed_at)
      )`,
      // Orders stored before this version: their status is all that is known, taken as held since
      // the order was placed (the same default an import without status times uses).
      `INSERT INTO order_status_history (order_id, status, changed_at)
       SELECT order_id, status, ordered_at FROM orders`,
    ],
  },
  {
    version: 4,
    description:
      'customer_predictions: p_alive may be unavailable (null, with the reason) and names its model',
    statements: [
      // A BTYD fit on the no-dropout boundary has no P(alive) to give (docs/clv.md): store null and
      // why, instead of the 1.0 such a fit prints. The table is rewritten by every scoring.
      'ALTER TABLE customer_predictions ALTER COLUMN p_alive DROP NOT NULL',
      'ALTER TABLE customer_predictions ADD COLUMN p_alive_unavailable VARCHAR',
      // DuckDB cannot add a column with a constraint; rows scored before this were all BG/NBD.
      'ALTER TABLE customer_predictions ADD COLUMN purchase_model VARCHAR',
      "UPDATE customer_predictions SET purchase_model = 'bgnbd'",
    ],
  },
  {
    version: 5,
    description: 'order_items.line_total: the amount a source charged for a line',
    statements: [
      // Exports that give a line total (sales_value = quantity x price) keep it exactly: a unit
      // price derived by division cannot multiply back to the charged amount.
      'ALTER TABLE order_items ADD COLUMN line_total DECIMAL(18,4)',
    ],
  },
  {
    version: 6,
    description: 'model promotion history',
    statements: [
      // Every promotion and rollback in order, per task: `models rollback` returns to the version
      // promoted before the current one (a stack replayed from this log), not to the previous
      // version number. `seq` orders a task's entries (timestamps can tie within a second).
      `CREATE TABLE model_promotions (
        task VARCHAR NOT NULL,
        seq INTEGER NOT NULL,
        version INTEGER NOT NULL,
        action VARCHAR NOT NULL CHECK (action IN ('promote', 'rollback')),
        promoted_at TIMESTAMP NOT NULL,
        PRIMARY KEY (task, seq)
      )`,
      // A store from before this log knows only its current promotions; earlier ones are unknown.
      `INSERT INTO model_promotions
         SELECT task, 1, version, 'promote', created_at FROM models WHERE status = 'promoted'`,
    ],
  },
  {
    version: 7,
    description: 'HTTP API: keys, the recommendation behind an event, recommendation impressions',
    statements: [
      // Only a SHA-256 of each key's secret is kept (keys are 256 random bits, so a fast hash is
      // safe); the key itself is shown once, when created.
      `CREATE TABLE api_keys (
        key_id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        role VARCHAR NOT NULL CHECK (role IN ('admin', 'ingest', 'read')),
        secret_sha256 VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        revoked_at TIMESTAMP
      )`,
      // The recommendation response an event came back from (its request_id): the feedback loop
      // attributes clicks, carts and purchases to the model version that served them.
      'ALTER TABLE events ADD COLUMN request_id VARCHAR',
      `CREATE TABLE recommendation_impressions (
        request_id VARCHAR PRIMARY KEY,
        served_at TIMESTAMP NOT NULL,
        surface VARCHAR NOT NULL CHECK (surface IN ('user', 'item', 'together', 'session')),
        customer_id VARCHAR,
        anonymous_id VARCHAR,
        session_id VARCHAR,
        task VARCHAR NOT NULL,
        model_version INTEGER,
        variant VARCHAR,
        product_ids VARCHAR[] NOT NULL
      )`,
    ],
  },
  {
    // Reserved as 9 in issue 8's plan; numbered 8 here, after the lead's 7 (the lead renumbers on merge).
    version: 8,
    description: 'A/B splits of model versions',
    statements: [
      // The split in force per task (one row; ending the test deletes it). Assignment is a hash of
      // the visitor's id (tasks/recommend/ab-split.ts), so no per-visitor row is kept.
      `CREATE TABLE ab_splits (
        task VARCHAR PRIMARY KEY,
        variants JSON NOT NULL,
        started_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 9,
    description: 'marketing campaigns and their contacts',
    statements: [
      `CREATE TABLE campaigns (
        campaign_id VARCHAR NOT NULL PRIMARY KEY,
        name VARCHAR,
        channel VARCHAR,
        starts_at TIMESTAMP,
        ends_at TIMESTAMP,
        variants JSON,
        control_variant VARCHAR,
        cost_per_contact DECIMAL(18,4)
      )`,
      `CREATE TABLE campaign_contacts (
        campaign_id VARCHAR NOT NULL,
        customer_id VARCHAR NOT NULL,
        variant VARCHAR NOT NULL,
        is_control BOOLEAN NOT NULL,
        sent_at TIMESTAMP,
        features JSON,
        visited BOOLEAN,
        converted BOOLEAN,
        revenue DECIMAL(18,4),
        PRIMARY KEY (campaign_id, customer_id)
        )`,
    ],
  },
  {
    version: 10,
    description: 'assistant: read-only views for data questions, stored question/SQL examples',
    statements: [
      // The only relations a data question's SQL may read (warehouse/ask/views.ts documents them).
      // No e-mail, device or IP column: a question's answer never needs them. A line's amount and
      // what counts as a sale are written as analytics/sql.ts defines them (lineAmount, isSale).
      `CREATE VIEW ask_orders AS
         SELECT order_id, customer_id, ordered_at, status,
                status NOT IN ('cancelled', 'returned') AS is_sale,
                currency, CAST(total AS DOUBLE) AS total, country, channel, payment_method
         FROM orders`,
      `CREATE VIEW ask_order_lines AS
         SELECT i.order_id, i.line_no, i.product_id, p.title AS product_title, p.category,
                coalesce(p.is_merchandise, true) AS is_merchandise, i.quantity,
                CAST(i.unit_price AS DOUBLE) AS unit_price,
                CAST(coalesce(i.line_total, CAST(i.quantity AS DECIMAL(18,4)) * i.unit_price) AS DOUBLE) AS amount,
                o.ordered_at, o.status, o.status NOT IN ('cancelled', 'returned') AS is_sale,
                o.customer_id, o.country
         FROM order_items i JOIN orders o USING (order_id) LEFT JOIN products p USING (product_id)`,
      `CREATE VIEW ask_customers AS SELECT customer_id, first_seen_at, country FROM customers`,
      `CREATE VIEW ask_products AS
         SELECT product_id, title, category, brand, CAST(price AS DOUBLE) AS price, currency, in_stock,
                is_merchandise
         FROM products`,
      // Question/SQL pairs a merchant confirmed: shown to the model as examples for later questions.
      `CREATE TABLE ask_examples (
        example_id INTEGER PRIMARY KEY,
        question VARCHAR NOT NULL,
        sql VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 11,
    description: 'Demand forecasts: one row per series and day of each forecast run',
    statements: [
      // A run is one `shopsight forecast` (a level, or one series of it): the API serves the latest
      // run that holds the series asked for. version numbers runs, model names the fitted model.
      `CREATE TABLE forecast_runs (
        version INTEGER PRIMARY KEY,
        level VARCHAR NOT NULL,
        granularity VARCHAR NOT NULL,
        measure VARCHAR NOT NULL,
        model_requested VARCHAR NOT NULL,
        horizon INTEGER NOT NULL,
        history_end DATE NOT NULL,
        created_at TIMESTAMP NOT NULL
      )`,
      `CREATE TABLE forecasts (
        version INTEGER NOT NULL,
        level VARCHAR NOT NULL,
        series_id VARCHAR NOT NULL,
        -- the series' place in the run: largest history first
        rank INTEGER NOT NULL,
        date DATE NOT NULL,
        forecast DOUBLE NOT NULL,
        lo80 DOUBLE NOT NULL,
        hi80 DOUBLE NOT NULL,
        lo95 DOUBLE NOT NULL,
        hi95 DOUBLE NOT NULL,
        model VARCHAR NOT NULL,
        note VARCHAR,
        PRIMARY KEY (version, level, series_id, date)
        )`,
    ],
  },
  {
    version: 12,
    description: 'order risk scores',
    statements: [
      // The scores of `shopsight risk score`: one row per order, replaced when it is scored again.
      // model_version is the risk model's registry version; reasons a JSON list of strings.
      `CREATE TABLE order_risk (
        order_id VARCHAR PRIMARY KEY,
        score DOUBLE NOT NULL,
        model_score DOUBLE NOT NULL,
        action VARCHAR CHECK (action IN ('hold', 'allow')),
        held BOOLEAN NOT NULL,
        reasons JSON NOT NULL,
        model_version INTEGER NOT NULL,
        scored_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 13,
    description: 'reviews from labelled corpora (label, category; no stars or product needed)',
    statements: [
      // Labelled sentiment corpora (reviews-zh) give text, a 1/0 label and a category: no stars and
      // no product. Either rating or label is required by the reviews frame instead (ingest/frames).
      'ALTER TABLE reviews ALTER COLUMN rating DROP NOT NULL',
      'ALTER TABLE reviews ALTER COLUMN product_id DROP NOT NULL',
      'ALTER TABLE reviews ADD COLUMN label BIGINT',
      'ALTER TABLE reviews ADD COLUMN category VARCHAR',
    ],
  },
  {
    version: 14,
    description: 'privacy: erasure log, models trained on an erased person',
    statements: [
      // One row per forget: when, why, how many rows of each table went. Nothing that names the
      // person (their id would defeat the erasure).
      `CREATE TABLE erasure_log (
        erased_at TIMESTAMP NOT NULL,
        reason VARCHAR,
        orders_mode VARCHAR NOT NULL CHECK (orders_mode IN ('delete', 'anonymise')),
        counts JSON NOT NULL
      )`,
      // Models whose training data held an erased person: the per-person parts are removed at once,
      // the learnt weights are not, so the next training replaces them whatever its metrics.
      `CREATE TABLE model_erasures (
        model_id VARCHAR NOT NULL PRIMARY KEY,
        marked_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 15,
    description: 'order risk: customer signup time, the rules each score hit',
    statements: [
      // When the customer signed up (an account created), imported through a customers mapping;
      // the risk features read it as of each order (features/order-risk-features.ts).
      'ALTER TABLE customers ADD COLUMN signup_at TIMESTAMP',
      // The names of the merchant rules that fired for the stored score (JSON list of strings);
      // NULL on rows scored before this migration, when only the reasons' text recorded them.
      'ALTER TABLE order_risk ADD COLUMN rules_hit JSON',
    ],
  },
  {
    version: 16,
    description: 'review scores: sentiment and aspects per review, made when reviews are scored',
    statements: [
      // One row per review, replaced when it is scored again (a newly promoted model). model_id is
      // the sentiment model's registry id, or 'lexicon' when the store has none; probability and
      // label are null with a reason when the text cannot be scored; aspects a JSON list of
      // {aspect, polarity, opinion}. Nothing personal: the review row holds author and text.
      `CREATE TABLE review_scores (
        review_id VARCHAR NOT NULL PRIMARY KEY,
        model_id VARCHAR NOT NULL,
        probability DOUBLE,
        label INTEGER,
        reason VARCHAR,
        aspects JSON NOT NULL,
        scored_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 17,
    description: 'bandit policies and their decisions (POST /v1/decide)',
    statements: [
      // A policy's learnt state is an ml/artifact buffer (plays, reward sums or A, A^-1, b per arm),
      // rewritten with every reward in the same transaction that marks the decision rewarded, so a
      // restart resumes exactly where the last reward left it.
      `CREATE TABLE bandit_policies (
        policy_id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        arms JSON NOT NULL,
        context_features JSON NOT NULL,
        state BLOB NOT NULL,
        created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL
      )`,
      // Every decision with the chance the policy gave the arm it chose (the propensity that
      // inverse propensity scoring needs later) and the context it was made in (a linear policy
      // learns from it when the reward comes). reward stays null until it comes.
      `CREATE TABLE bandit_decisions (
        decision_id VARCHAR PRIMARY KEY,
        policy_id VARCHAR NOT NULL,
        customer_id VARCHAR,
        arm VARCHAR NOT NULL,
        propensity DOUBLE NOT NULL,
        context JSON,
        decided_at TIMESTAMP NOT NULL,
        reward DOUBLE,
        rewarded_at TIMESTAMP
      )`,
    ],
  },
  {
    version: 18,
    description: 'stock: units on hand per product and count time',
    statements: [
      // Imported like any canonical table (frame `stock`, stock.csv in the shopsight layout); the
      // reorder plan reads each product's latest count and the sales after it (tasks/forecast/reorder.ts).
      `CREATE TABLE stock (
        product_id VARCHAR NOT NULL,
        on_hand DOUBLE NOT NULL,
        as_of TIMESTAMP NOT NULL,
        PRIMARY KEY (product_id, as_of)
      )`,
    ],
  },
  {
    version: 19,
    description: 'bandit rewards from the feedback events (a policy rule; where each reward came from)',
    statements: [
      // {"events": [event types], "window_hours": h}: an event of those types naming a decision, or
      // by its customer within h hours of it, rewards it 1; a window that ends without one gives 0
      // (tasks/marketing/event-rewards.ts). NULL: rewards come only from the reward route.
      'ALTER TABLE bandit_policies ADD COLUMN reward_rule JSON',
      // When the decision's window ends (decided_at + window_hours); NULL without a rule.
      'ALTER TABLE bandit_decisions ADD COLUMN reward_closes_at TIMESTAMP',
      // 'api' (the reward route), 'event' (reward_event_id rewarded it) or 'window' (closed at 0).
      'ALTER TABLE bandit_decisions ADD COLUMN reward_source VARCHAR',
      'ALTER TABLE bandit_decisions ADD COLUMN reward_event_id VARCHAR',
      "UPDATE bandit_decisions SET reward_source = 'api' WHERE reward IS NOT NULL",
    ],
  },
  {
    version: 20,
    description: 'order risk: a known-fraud label per order',
    statements: [
      // true: the order proved fraudulent (a chargeback for fraud, a confirmed stolen card); false:
      // known good; NULL: not known. Imported through an orders mapping (fraud_label: <column>);
      // `train risk --labels column` learns from it (docs/risk.md says why a column, not a status).
      'ALTER TABLE orders ADD COLUMN fraud_label BOOLEAN',
    ],
  },
  {
    version: 21,
    description: 'customers: first and last name (the assistant redacts them before text leaves)',
    statements: [
      // Optional; imported through a customers mapping (Shopify's export: First Name, Last Name) or
      // the shopsight layout's customers.csv. assistant/llm/redact.ts reads them so a known
      // customer's name typed in a question never reaches an external model.
      'ALTER TABLE customers ADD COLUMN first_name VARCHAR',
      'ALTER TABLE customers ADD COLUMN last_name VARCHAR',
    ],
  },
  {
    version: 22,
    description: 'order_risk without its primary key (the write keeps one row per order)',
    statements: [
      // Inserting a million scores into the keyed table cost 5.4 CPU-s of index upkeep against 0.3
      // without it (issue 10); the only writer, warehouse/order-risk-store.ts, deletes the rows it
      // replaces before it inserts, so each order keeps one row. DuckDB cannot drop a primary key in
      // place: the table is made anew with the same columns and checks.
      `CREATE TABLE order_risk_unkeyed (
        order_id VARCHAR NOT NULL,
        score DOUBLE NOT NULL,
        model_score DOUBLE NOT NULL,
        action VARCHAR CHECK (action IN ('hold', 'allow')),
        held BOOLEAN NOT NULL,
        reasons JSON NOT NULL,
        model_version INTEGER NOT NULL,
        scored_at TIMESTAMP NOT NULL,
        rules_hit JSON
      )`,
      'INSERT INTO order_risk_unkeyed SELECT * FROM order_risk',
      'DROP TABLE order_risk',
      'ALTER TABLE order_risk_unkeyed RENAME TO order_risk',
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
