/**
 * The rule catalog (`GET /mllens/rules`): fetched once; a failed fetch is retried the next
 * time a lint answer arrives, so a server that was still starting does not leave the
 * panel without pillar names and rule explanations for the whole session.
 */
import { ILintClient } from './client';
import { LensModel } from './model';

export class CatalogLoader {
  private _request: Promise<void> | null = null;

  constructor(
    private readonly model: LensModel,
    private readonly client: Pick<ILintClient, 'rules'>
  ) {}

  /** Fetch the catalog unless it is loaded or on its way; resolves when settled. */
  load(): Promise<void> {
    if (this.model.catalog) {
      return Promise.resolve();
    }
    if (!this._request) {
      this._request = this.client
        .rules()
        .then(catalog => {
          this.model.catalog = catalog;
        })
        .catch(error => console.warn('ML Lens: cannot load the rule catalog', error))
        .finally(() => {
          this._request = null;
        });
    }
    return this._request;
  }
}
