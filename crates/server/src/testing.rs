//! Support for tests that need PostgreSQL: each gets a schema of its own in
//! the test database, so tests (and test runs) never see each other's jobs.

/// The test database: `DIGLOT_TEST_DATABASE_URL`, or database `test` on
/// 127.0.0.1:5432 as user `postgres`.
pub fn database_url() -> String {
    std::env::var("DIGLOT_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Creates a new, empty schema and returns a URL whose connections use it.
/// Panics, saying how to start PostgreSQL, when the database cannot be
/// reached: a test that needs it must fail, not pass unseen.
pub async fn fresh_schema() -> String {
    let url = database_url();
    let (client, connection) = match tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
        Ok(c) => c,
        Err(e) => panic!(
            "cannot reach the test database {url}: {e}\n\
             Start PostgreSQL on 127.0.0.1:5432 with a database `test` that user `postgres` may use \
             (Debian: `apt-get install postgresql && service postgresql start && \
             su postgres -c 'createdb test'`), or point DIGLOT_TEST_DATABASE_URL at another one."
        ),
    };
    tokio::spawn(connection);
    let random: [u8; 6] = crate::auth::random_bytes();
    let schema = format!("t_{}", random.iter().map(|b| format!("{b:02x}")).collect::<String>());
    client.batch_execute(&format!("CREATE SCHEMA {schema}")).await.expect("CREATE SCHEMA");
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-csearch_path%3D{schema}")
}

/// Drops the schema a [`fresh_schema`] URL names, with everything in it.
pub async fn drop_schema(schema_url: &str) {
    let Some((url, schema)) = schema_url.rsplit_once("options=-csearch_path%3D") else { return };
    let url = url.trim_end_matches(['?', '&']);
    if let Ok((client, connection)) = tokio_postgres::connect(url, tokio_postgres::NoTls).await {
        tokio::spawn(connection);
        let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).await;
    }
}

/// Seconds since the start of the current minute, by the database's clock
/// (the clock the shared rate limit counts by).
pub async fn seconds_into_minute(url: &str) -> f64 {
    let (client, connection) =
        tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("the test database");
    tokio::spawn(connection);
    let row = client
        .query_one("SELECT (extract(epoch FROM clock_timestamp()) % 60)::FLOAT8", &[])
        .await
        .expect("the database's clock");
    row.get(0)
}
