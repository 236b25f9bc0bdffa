// Package events writes the Lambda proxy events API Gateway sends its integrations, byte for byte:
// WebSocket events (CONNECT, MESSAGE, DISCONNECT; aws-lambda-go's APIGatewayWebsocketProxyRequest),
// and HTTP and REST requests in payload format 2.0 (APIGatewayV2HTTPRequest) and 1.0
// (APIGatewayProxyRequest). Adapters fill a WebSocket or HTTP value and append its event to a
// buffer; the package knows nothing of routes, integrations or sockets. Golden files under testdata
// hold each event's exact bytes.
package events
