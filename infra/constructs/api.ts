import path from 'node:path';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { QUERY_DEPTH_LIMIT, RESOLVER_COUNT_LIMIT } from '../../model/api-limits.ts';
import { resolverEnvironmentOf } from '../../model/tables.ts';
import { dataSourceKinds } from '../../resolvers/manifest.ts';
import type { BundledResolver } from '../resolver-code.ts';

export interface ApiProps {
  projectRoot: string;
  userPool: cognito.IUserPool;
  /** NONE, ERROR, INFO, DEBUG or ALL. */
  fieldLogLevel: string;
  customDomain?: { domainName: string; certificateArn: string };
}

/**
 * The AppSync API from schema.graphql: Cognito user pools by default, IAM for the functions'
 * internal publish mutations, field logs (without verbose content: no headers, tokens or
 * variables) kept 30 days, X-Ray tracing, and the query depth and resolver count limits of
 * model/api-limits.ts.
 */
export class Api extends Construct {
  readonly api: appsync.GraphqlApi;
  /** By the name resolvers use: logical table names, Lambda function names, NONE. */
  readonly dataSources = new Map<string, appsync.BaseDataSource>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    const loggingRole = new iam.Role(this, 'LoggingRole', {
      assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com'),
    });
    const fieldLogLevel = props.fieldLogLevel.toUpperCase() as appsync.FieldLogLevel;
    if (!Object.values(appsync.FieldLogLevel).includes(fieldLogLevel))
      throw new Error(`Unknown AppSync field log level ${props.fieldLogLevel}`);

    this.api = new appsync.GraphqlApi(this, 'GraphqlApi', {
      name: 'smart-expense-tracker',
      // Only schema.graphql: appsync.graphql declares what AppSync itself provides.
      definition: appsync.Definition.fromFile(path.join(props.projectRoot, 'schema.graphql')),
      authorizationConfig: {
        defaultAuthorization: {
          authorizationType: appsync.AuthorizationType.USER_POOL,
          userPoolConfig: { userPool: props.userPool },
        },
        additionalAuthorizationModes: [{ authorizationType: appsync.AuthorizationType.IAM }],
      },
      // CDK sets the retention of the group AppSync writes to (/aws/appsync/apis/<id>).
      logConfig: {
        fieldLogLevel,
        excludeVerboseContent: true,
        role: loggingRole,
        retention: logs.RetentionDays.ONE_MONTH,
      },
      xrayEnabled: true,
      // The same limits the local runtime enforces: a request cannot fan one field out without bound.
      queryDepthLimit: QUERY_DEPTH_LIMIT,
      resolverCountLimit: RESOLVER_COUNT_LIMIT,
      domainName: props.customDomain
        ? {
            domainName: props.customDomain.domainName,
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
          }
        : undefined,
    });
    new iam.Policy(this, 'LoggingPolicy', {
      roles: [loggingRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          // The imported group's ARN ends in `:*`, which covers its log streams.
          resources: [this.api.logGroup.logGroupArn],
        }),
      ],
    });
  }

  /** One data source per name a resolver may use (resolvers/manifest.ts dataSourceKinds). */
  addDataSources(tables: ReadonlyMap<string, dynamodb.ITable>, functions: ReadonlyMap<string, lambda.IFunction>): void {
    // ctx.env: the physical table names, for the requests that name a table (BatchGetItem).
    const env = resolverEnvironmentOf((table) => required(tables, table.logicalName, 'table').tableName);
    for (const [key, value] of Object.entries(env)) this.api.addEnvironmentVariable(key, value);
    for (const [name, kind] of dataSourceKinds()) {
      if (kind === 'NONE') this.dataSources.set(name, this.api.addNoneDataSource(name, { name }));
      if (kind === 'AMAZON_DYNAMODB')
        this.dataSources.set(name, this.api.addDynamoDbDataSource(name, required(tables, name, 'table'), { name }));
      if (kind === 'AWS_LAMBDA')
        this.dataSources.set(name, this.api.addLambdaDataSource(name, required(functions, name, 'function'), { name }));
    }
  }

  /** One AppSync resolver per binding of resolvers/manifest.ts, with the bundles local/ runs. */
  addResolvers(resolvers: readonly BundledResolver[]): void {
    for (const resolver of resolvers) {
      const id = `${resolver.typeName}${resolver.fieldName[0].toUpperCase()}${resolver.fieldName.slice(1)}Resolver`;
      const common = {
        api: this.api,
        typeName: resolver.typeName,
        fieldName: resolver.fieldName,
        runtime: appsync.FunctionRuntime.JS_1_0_0,
        code: appsync.Code.fromInline(resolver.code),
      };
      if (resolver.kind === 'UNIT') {
        new appsync.Resolver(this, id, {
          ...common,
          dataSource: required(this.dataSources, resolver.dataSource!, 'data source'),
        });
        continue;
      }
      const pipelineConfig = resolver.functions.map(
        (fn) =>
          new appsync.AppsyncFunction(this, fn.name, {
            api: this.api,
            name: fn.name,
            dataSource: required(this.dataSources, fn.dataSource, 'data source'),
            runtime: appsync.FunctionRuntime.JS_1_0_0,
            code: appsync.Code.fromInline(fn.code),
          }),
      );
      new appsync.Resolver(this, id, { ...common, pipelineConfig });
    }
  }

  /** `appsync:GraphQL` on the given Mutation fields only (the functions' publish* calls). */
  grantMutations(grantee: iam.IGrantable, fieldNames: readonly string[]): void {
    if (fieldNames.length > 0) this.api.grantMutation(grantee, ...fieldNames);
  }
}

function required<T>(map: ReadonlyMap<string, T>, name: string, what: string): T {
  const value = map.get(name);
  if (!value) throw new Error(`No ${what} named ${name}`);
  return value;
}
