import { type Client, errors } from '@elastic/elasticsearch';

/**
 * Makes a client behave as if its process died after `requests` requests: those reach the cluster, every later
 * one fails without being sent. With `lastResponseLost`, the last one reaches the cluster and is applied, but
 * its answer never arrives (the process died while waiting for it).
 */
export function crashAfter(client: Client, requests: number, options: { lastResponseLost?: boolean } = {}): Client {
  let sent = 0;
  const transport = client.transport;
  const request = transport.request.bind(transport);
  const crash = () => new errors.ConnectionError('simulated crash: the process is gone');
  transport.request = (async (params: Parameters<typeof request>[0], requestOptions?: Parameters<typeof request>[1]) => {
    sent += 1;
    if (sent > requests) throw crash();
    const response = await request(params, requestOptions);
    if (sent === requests && options.lastResponseLost) throw crash();
    return response;
  }) as typeof transport.request;
  return client;
}

/**
 * Makes a client send every request `matches` picks twice and answer with the second answer: what the client's own
 * retry does when a request reached the cluster but its answer was lost on the way back.
 */
export function repeatRequests(client: Client, matches: (params: { method: string; path: string }) => boolean): Client {
  const transport = client.transport;
  const request = transport.request.bind(transport);
  transport.request = (async (params: Parameters<typeof request>[0], requestOptions?: Parameters<typeof request>[1]) => {
    if (matches(params)) await request(params, requestOptions);
    return request(params, requestOptions);
  }) as typeof transport.request;
  return client;
}
