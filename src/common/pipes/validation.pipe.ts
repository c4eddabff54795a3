import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, FieldError } from '../errors/app-error';

function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      field,
      message,
      rule,
    }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

/**
 * The global ValidationPipe: unknown fields are refused (not silently dropped) and every failure
 * is 400 VALIDATION_FAILED with one entry per field (docs/api.md section 6).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) =>
      new AppError('VALIDATION_FAILED', undefined, {
        fields: fieldErrors(errors),
      }),
  });
}
