import pg from 'pg';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.SG_TEST_ADMIN_URL;
  const template = process.env.SG_TEST_TEMPLATE_DB;
  if (adminUrl && template) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
  await globalThis.__SG_EMBEDDED_PG__?.stop();
}
