import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'stageguard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Tokens arrive in webhook bodies, install forms and headers; none of them may reach a log line.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          '*.access_token',
          '*.refresh_token',
          '*.AUTH_ID',
          '*.REFRESH_ID',
          '*.application_token',
          '*.APPLICATION_TOKEN',
          '*.accessToken',
          '*.refreshToken',
          '*.clientSecret',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
