import { DataSource } from 'typeorm';
import { allMigrations } from '../../migrations/index.js';

// Queries are written as SQL (kept in *.sql.ts / *.query.ts files next to their feature) and run
// through TypeORM's pool and transactions; TypeORM also owns the explicit migrations.
export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations: allMigrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    entities: [],
    logging: false,
    poolSize,
    extra: { application_name: 'stageguard' },
  });
}

export type Db = DataSource;
