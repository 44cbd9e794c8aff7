// The only module that imports tsyringe. The Reflect polyfill must load first: tsyringe checks for
// it at import time. Tokens are explicit, so nothing depends on emitted decorator metadata.
import 'reflect-metadata';
import {container as rootContainer, inject as tsInject, injectable, type DependencyContainer} from 'tsyringe';

/** A branded symbol naming one service in the container; `T` is the type it resolves to. */
export type Token<T> = symbol & {readonly __type?: T};

/**
 * Creates a token. Convention: description `spor.<plugin>.<Service>`. Tokens live in the global
 * symbol registry, so the description alone names one: start-up registers a not yet loaded
 * built-in's services from its manifest, which can only hold strings.
 */
export const token = <T>(description: string): Token<T> => Symbol.for(description) as Token<T>;

/** Parameter decorator: inject the service behind `t`. Every constructor parameter needs one. */
export const inject = <T>(t: Token<T>): ParameterDecorator => tsInject(t) as ParameterDecorator;

export {injectable};
export type Container = DependencyContainer;

/** Resolves a token with its type. */
export const resolve = <T>(c: Container, t: Token<T>): T => c.resolve<T>(t);

type Ctor<T> = new (...args: Array<never>) => T;

/** The typed registration surface handed to a plugin's `services(r)`. */
export interface Registrar {
  value<T>(t: Token<T>, value: T): void;
  factory<T>(t: Token<T>, make: (c: Container) => T): void;
  /** One instance per container that resolves it (a command's child container gets its own). */
  singleton<T>(t: Token<T>, cls: Ctor<T>): void;
}

export const registrar = (c: Container, onRegister: (t: symbol) => void = () => {}): Registrar => ({
  value: (t, value) => {
    onRegister(t);
    c.register(t, {useValue: value});
  },
  factory: (t, make) => {
    onRegister(t);
    let made = false;
    let cached: unknown;
    // Cache per container instance so a factory behaves like a singleton without tsyringe's
    // instanceCachingFactory, whose cache is keyed on the first container only.
    c.register(t, {
      useFactory: (dc) => {
        if (!made) {
          cached = make(dc);
          made = true;
        }
        return cached as never;
      },
    });
  },
  singleton: (t, cls) => {
    onRegister(t);
    c.registerSingleton(t, cls as never);
  },
});

export const createRootContainer = (): Container => rootContainer.createChildContainer();
