import type { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { isModelEntity } from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../api/LlmOpsApi';
import { getMlflowModelName } from '../components/model/runs';
import { formatDate } from '../components/pages/formatDate';

/** A `model_version` the form offers: `@alias` or a version number. */
export interface RegistryChoice {
  value: string;
  label: string;
}

export interface RegistryChoices {
  choices: RegistryChoice[];
  /** What the choices are, or why there are none, in words. */
  note?: string;
}

type Version = { version: string; status?: string; createdAt?: number };

/** Aliases first (each naming its version), then versions, newest first. */
export function registryChoices(
  aliases: Record<string, string>,
  versions: Version[],
): RegistryChoice[] {
  const byAlias = Object.entries(aliases)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([alias, version]) => ({
      value: `@${alias}`,
      label: `@${alias} (version ${version})`,
    }));
  const byVersion = [...versions]
    .sort((a, b) =>
      b.version.localeCompare(a.version, undefined, { numeric: true }),
    )
    .map(v => {
      const aliasesOf = Object.keys(aliases).filter(
        a => aliases[a] === v.version,
      );
      const facts = [
        v.status,
        v.createdAt
          ? `registered ${formatDate(new Date(v.createdAt).toISOString())}`
          : undefined,
        aliasesOf.length ? aliasesOf.map(a => `@${a}`).join(', ') : undefined,
      ].filter(Boolean);
      return {
        value: v.version,
        label: `Version ${v.version}${
          facts.length ? ` (${facts.join(', ')})` : ''
        }`,
      };
    });
  return [...byAlias, ...byVersion];
}

/**
 * The versions and aliases of a picked Model's MLflow registered model, for
 * the Deploy form: MLflow's, else the catalog's copy while MLflow is down.
 * Undefined while nothing is picked or it loads.
 */
export function useRegistryChoices(
  model: Entity | undefined,
): RegistryChoices | undefined {
  const api = useApi(llmOpsApiRef);
  const name = model ? getMlflowModelName(model) : undefined;
  const { value } = useAsync(async (): Promise<RegistryChoices | undefined> => {
    if (!model) return undefined;
    const title = model.metadata.title ?? model.metadata.name;
    if (!name) {
      return {
        choices: [],
        note: `${title} is not in MLflow's model registry, so there is no version to pick: its catalog source${
          typeof model.spec?.source === 'string'
            ? ` (${model.spec.source})`
            : ''
        } is served.`,
      };
    }
    const read = await api
      .getRegisteredModel(name)
      .catch(error => error as Error);
    const catalog = isModelEntity(model) ? model.spec.registry : undefined;
    if (read instanceof Error || (read.stale && read.versions.length === 0)) {
      const versions = (catalog?.versions ?? []).map(v => ({
        version: v.version,
        status: v.status,
        createdAt: v.createdAt ? Date.parse(v.createdAt) : undefined,
      }));
      return {
        choices: registryChoices(catalog?.aliases ?? {}, versions),
        note: `Can't reach MLflow${
          read instanceof Error ? ` (${read.message})` : ''
        }: ${
          versions.length
            ? "these are the catalog's copy of the registry; the version is checked again when it is deployed."
            : 'type a version number or an @alias; it is checked when it is deployed.'
        }`,
      };
    }
    const choices = registryChoices(read.aliases, read.versions);
    return {
      choices,
      note: choices.length
        ? `From MLflow's registry (${name}). An alias is pinned to the version it points at when you deploy.`
        : `${name} has no versions in MLflow's registry yet: register one, or leave this empty to serve the catalog source.`,
    };
  }, [api, model, name]);
  return value;
}
